import NIOCore

/// State one event loop owns: every access checks that it is made on that loop, so the state
/// needs no lock. Unlike NIO's `NIOLoopBound`, it may be made off the loop: an application
/// builds and restores its state at startup, then hands it to the loop that runs it.
public struct LoopOwned<Value: AnyObject>: @unchecked Sendable {
    private let owned: Value
    /// The loop that owns the value.
    public let loop: any EventLoop

    public init(_ value: Value, loop: any EventLoop) {
        owned = value
        self.loop = loop
    }

    /// The value; traps anywhere but on ``loop``.
    public var value: Value {
        loop.preconditionInEventLoop()
        return owned
    }
}
