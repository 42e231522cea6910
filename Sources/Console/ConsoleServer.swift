import ConsoleAccess
import Hummingbird
import HummingbirdWebSocket
import JournalAudit
import Logging

/// The admin console's HTTP server (being built).
public struct ConsoleServer: Sendable {
    public let logger: Logger
    public let roles: [ConsoleRole] = ConsoleRole.allCases
    public let audit: AuditTrail?

    public init(logger: Logger, audit: AuditTrail?) {
        self.logger = logger
        self.audit = audit
    }

    func router() -> Router<BasicWebSocketRequestContext> { Router(context: BasicWebSocketRequestContext.self) }
}
