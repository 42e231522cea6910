import FIXCodec
import NIOCore

/// What the frame decoder hands the session: a complete message, or bytes to ignore.
public enum FIXInboundFrame: Sendable {
    case message([UInt8])
    /// Bytes FIX says to ignore (bad BodyLength, bad CheckSum, header out of order),
    /// with the bytes themselves for the audit trail.
    case garbled(reason: String, bytes: [UInt8])
}

/// Frames a TCP byte stream into FIX messages on BodyLength, never by scanning for `10=`
/// (RawData and XmlData values may contain SOH), and skips garbled input.
public struct FIXFrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = FIXInboundFrame

    private let framer: FIXFramer

    public init(framer: FIXFramer = FIXFramer()) {
        self.framer = framer
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        let outcome = buffer.withUnsafeReadableBytes { framer.frame($0) }
        switch outcome {
        case .incomplete:
            return .needMoreData
        case .message(let length):
            let bytes = buffer.readBytes(length: length)!
            context.fireChannelRead(wrapInboundOut(.message(bytes)))
        case .garbled(let reason, let discard):
            let bytes = buffer.readBytes(length: max(1, min(discard, buffer.readableBytes)))!
            context.fireChannelRead(wrapInboundOut(.garbled(reason: reason.description, bytes: bytes)))
        }
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}
