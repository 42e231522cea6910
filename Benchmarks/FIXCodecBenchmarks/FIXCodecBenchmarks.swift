import Benchmark
import BenchmarkFixtures
import FIXCodec
import FIXDictionary

// Every benchmark runs `scaledIterations` (1,000) operations per sample and reports per
// operation: wall clock in ns per message, throughput in messages per second, and heap
// allocations per message. Inputs are loaded and checked by `Fixtures` before any sample.
// The QuickFIX C++ peer (../quickfix-peer) times the same operations on the same bytes.

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        timeUnits: .nanoseconds,
        warmupIterations: 20,
        scalingFactor: .kilo,
        maxDuration: .seconds(2),
        maxIterations: 2_000
    )

    Fixtures.check()
    let parser = Fixtures.parser
    let validator = Fixtures.validator

    // (a) A NewOrderSingle as framed off the wire: split into fields, then validated against
    // the dictionary (header, body, trailer, types, enumerations, required fields).
    let newOrderSingle = Fixtures.newOrderSingle
    Benchmark("parse NewOrderSingle") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try parser.parse(newOrderSingle))
        }
    }
    Benchmark("parse+validate NewOrderSingle") { benchmark in
        for _ in benchmark.scaledIterations {
            let message = try parser.parse(newOrderSingle)
            try validator.validate(message)
            blackHole(message)
        }
    }

    // (b) An ExecutionReport with a Parties group (NoPartyIDs=2).
    let executionReport = Fixtures.executionReportParties
    Benchmark("parse+validate ExecutionReport+Parties") { benchmark in
        for _ in benchmark.scaledIterations {
            let message = try parser.parse(executionReport)
            try validator.validate(message)
            blackHole(message)
        }
    }

    // (c) The same ExecutionReport built from typed values and encoded (BodyLength, CheckSum):
    // through FIXMessageBuilder with a FIXFieldList per party (the group API), with the
    // parties appended straight to the body, and through FIXMessageEncoder.
    let encoder = ExecutionReportEncoder()
    Benchmark("encode ExecutionReport+Parties") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(encoder.encodeWithGroupAPI())
        }
    }
    Benchmark("encode ExecutionReport+Parties (group inline)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(encoder.encodeInline())
        }
    }
    // The same message through a FIXMessageEncoder kept across messages, as a session would:
    // one working buffer, no per-part lists, one allocation per message (the message itself).
    Benchmark("encode ExecutionReport+Parties (one buffer)") { benchmark in
        var report = FIXMessageEncoder(msgType: "8")
        for _ in benchmark.scaledIterations {
            blackHole(encoder.encodeOneBuffer(&report))
        }
    }

    // (d) A stream of 10,000 mixed messages (messages/stream-mix.txt): each operation frames
    // the next message, wrapping at the end of the stream.
    let stream = Fixtures.stream
    func frameStream(_ benchmark: Benchmark, _ framer: FIXFramer, _ cursor: StreamCursor) {
        stream.withUnsafeBytes { buffer in
            var offset = cursor.offset
            for _ in benchmark.scaledIterations {
                if offset == buffer.count { offset = 0 }
                guard case let .message(length) = framer.frame(UnsafeRawBufferPointer(rebasing: buffer[offset...])) else {
                    fatalError("stream does not frame at \(offset)")
                }
                offset += length
            }
            cursor.offset = offset
        }
    }
    let checksumCursor = StreamCursor()
    Benchmark("frame stream") { benchmark in
        frameStream(benchmark, FIXFramer(), checksumCursor)
    }
    let noChecksumCursor = StreamCursor()
    Benchmark("frame stream (no CheckSum check)") { benchmark in
        frameStream(benchmark, FIXFramer(validateChecksum: false), noChecksumCursor)
    }
    // Framing and parsing: each framed message copied out of the stream (as a session does
    // with a read buffer) and split into fields.
    let parseCursor = StreamCursor()
    let framer = FIXFramer()
    Benchmark("frame+parse stream") { benchmark in
        stream.withUnsafeBytes { buffer in
            var offset = parseCursor.offset
            for _ in benchmark.scaledIterations {
                if offset == buffer.count { offset = 0 }
                let rest = UnsafeRawBufferPointer(rebasing: buffer[offset...])
                guard case let .message(length) = framer.frame(rest) else {
                    fatalError("stream does not frame at \(offset)")
                }
                let bytes = [UInt8](UnsafeRawBufferPointer(rebasing: rest[..<length]))
                do {
                    blackHole(try parser.parse(bytes))
                } catch {
                    fatalError("\(error)")
                }
                offset += length
            }
            parseCursor.offset = offset
        }
    }
}
