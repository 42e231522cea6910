// Runs one benchmarked operation in a plain loop, for profilers that want a simple process:
//
//   swift build -c release --product FIXCodecProfile
//   valgrind --tool=callgrind --callgrind-out-file=/tmp/nos.callgrind \
//       .build/release/FIXCodecProfile parse+validate-nos 20000
//   callgrind_annotate --inclusive=yes /tmp/nos.callgrind | head -60
//
// Not a benchmark target (its folder is Profile/, not Benchmarks/), so `swift package
// benchmark` ignores it. Inputs and checks are the benchmarks' own (BenchmarkFixtures).
import BenchmarkFixtures
import FIXCodec
import FIXDictionary
import Foundation

let operations = [
    "parse-nos", "parse+validate-nos", "parse+validate-er", "validate-nos", "validate-er", "encode-er", "encode-er-inline", "encode-er-one-buffer",
    "frame-stream", "frame+parse-stream",
]
let arguments = CommandLine.arguments
guard arguments.count >= 2, operations.contains(arguments[1]) else {
    print("usage: FIXCodecProfile <\(operations.joined(separator: "|"))> [iterations]")
    exit(2)
}
let operation = arguments[1]
let iterations = arguments.count > 2 ? Int(arguments[2]) ?? 100_000 : 100_000

Fixtures.check()
let parser = Fixtures.parser
let validator = Fixtures.validator

@inline(never)
func run(_ operation: String, _ iterations: Int) throws -> Int {
    var sink = 0
    switch operation {
    case "parse-nos":
        for _ in 0..<iterations { sink &+= try parser.parse(Fixtures.newOrderSingle).count }
    case "parse+validate-nos", "parse+validate-er":
        let bytes = operation == "parse+validate-nos" ? Fixtures.newOrderSingle : Fixtures.executionReportParties
        for _ in 0..<iterations {
            let message = try parser.parse(bytes)
            try validator.validate(message)
            sink &+= message.count
        }
    case "validate-nos", "validate-er":
        let message = try parser.parse(operation == "validate-nos" ? Fixtures.newOrderSingle : Fixtures.executionReportParties)
        for _ in 0..<iterations {
            try validator.validate(message)
            sink &+= 1
        }
    case "encode-er":
        let encoder = ExecutionReportEncoder()
        for _ in 0..<iterations { sink &+= encoder.encodeWithGroupAPI().count }
    case "encode-er-inline":
        let encoder = ExecutionReportEncoder()
        for _ in 0..<iterations { sink &+= encoder.encodeInline().count }
    case "encode-er-one-buffer":
        let encoder = ExecutionReportEncoder()
        var report = FIXMessageEncoder(msgType: "8")
        for _ in 0..<iterations { sink &+= encoder.encodeOneBuffer(&report).count }
    case "frame-stream", "frame+parse-stream":
        let framer = FIXFramer()
        let parse = operation == "frame+parse-stream"
        try Fixtures.stream.withUnsafeBytes { buffer in
            var offset = 0
            for _ in 0..<iterations {
                if offset == buffer.count { offset = 0 }
                let rest = UnsafeRawBufferPointer(rebasing: buffer[offset...])
                guard case let .message(length) = framer.frame(rest) else { fatalError("does not frame at \(offset)") }
                if parse { sink &+= try parser.parse([UInt8](UnsafeRawBufferPointer(rebasing: rest[..<length]))).count }
                offset += length
            }
        }
    default:
        fatalError()
    }
    return sink
}

let sink = try run(operation, iterations)
print("\(operation): \(iterations) iterations (\(sink))")
