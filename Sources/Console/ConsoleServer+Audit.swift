import ConsoleAccess
import Dispatch
import Foundation
import Hummingbird
import JournalAudit
import NIOCore

/// The audit trail in the console: one order's lifecycle by ClOrdID or OrderID for those who
/// may search it, the day's rows as CSV for those who may export it. The journal is read on a
/// queue of the console's own, never on an event loop or the cooperative pool.
extension ConsoleServer {
    /// One row as the audit page shows it.
    struct AuditLine: Encodable {
        let time: String
        let kind: String
        let party: String
        let direction: String
        let session: String
        let msgType: String
        let orderID: String
        let detail: String

        init(_ row: AuditRow) {
            time = row.isoTime
            kind = row.kind
            party = row.party.rawValue
            direction = row.direction
            session = row.session
            msgType = row.msgType
            orderID = row.orderID
            detail = row.text
        }
    }

    func addAuditRoutes(to router: Router<ConsoleContext>) {
        router.get("/api/audit/order") { [self] request, _ -> Response in
            let session = try authenticated(request)
            try require(.searchAudit, session)
            let trail = try auditTrail()
            let clOrdID = request.uri.queryParameters.get("clordid").flatMap { $0.isEmpty ? nil : $0 }
            let orderID = request.uri.queryParameters.get("orderid").flatMap { $0.isEmpty ? nil : $0 }
            guard clOrdID != nil || orderID != nil else { throw HTTPError(.badRequest, message: "name a ClOrdID (clordid) or an OrderID (orderid)") }
            let orders = try await Self.read { () throws(AuditError) -> [OrderLifecycle] in
                if let clOrdID { return try trail.orders(clOrdID: clOrdID) }
                return try trail.orders(orderID: orderID ?? "")
            }
            return try ConsolePages.json(orders.flatMap(\.rows).sorted { $0.time < $1.time }.map(AuditLine.init))
        }
        router.get("/api/audit/export.csv") { [self] request, _ -> Response in
            let session = try authenticated(request)
            try require(.exportAudit, session)
            let trail = try auditTrail()
            let now = clock()
            let parameters = request.uri.queryParameters
            let from: Int64
            let through: Int64
            do {
                from = try parameters.get("from").map { try AuditTime.nanoseconds(iso8601: $0) } ?? (now - now % 86_400_000_000_000)
                through = try parameters.get("to").map { try AuditTime.nanoseconds(iso8601: $0) } ?? now
            } catch {
                throw HTTPError(.badRequest, message: "\(error)")
            }
            let account = parameters.get("account").flatMap { $0.isEmpty ? nil : $0 }
            let rows = try await Self.read { () throws(AuditError) -> [AuditRow] in try trail.rows(account: account, from: from, through: through) }
            logger.info("audit exported", metadata: ["user": "\(session.user.name)", "rows": "\(rows.count)"])
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                                   .contentDisposition: "attachment; filename=\"wellhead-audit.csv\""],
                            body: .init(byteBuffer: ByteBuffer(string: AuditCSV.csv(rows))))
        }
    }

    private func require(_ permission: ConsolePermission, _ session: ConsoleSession) throws {
        guard session.user.role.may(permission) else {
            throw HTTPError(.forbidden, message: "refused: a \(session.user.role.rawValue) may not \(permission.rawValue)")
        }
    }

    private func auditTrail() throws -> AuditTrail {
        guard let audit else { throw HTTPError(.notFound, message: "this console has no journal to search") }
        return audit
    }

    private static let auditQueue = DispatchQueue(label: "wellhead.console.audit")

    /// Runs a journal read on the audit queue; an audit error is the request's, with its text.
    private static func read<Value: Sendable>(_ body: @escaping @Sendable () throws(AuditError) -> Value) async throws -> Value {
        let result: Result<Value, AuditError> = await withCheckedContinuation { continuation in
            auditQueue.async {
                do throws(AuditError) {
                    continuation.resume(returning: .success(try body()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        switch result {
        case .success(let value): return value
        case .failure(.orderNotFound(let message)): throw HTTPError(.notFound, message: message)
        case .failure(let error): throw HTTPError(.internalServerError, message: "\(error)")
        }
    }
}
