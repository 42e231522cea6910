import ConsoleAccess
import Foundation
import Hummingbird

/// Order entry's edge: the ticket's values read and checked before anything reaches the
/// gateway, and the risk preview (`POST /api/preview`, with the session's CSRF token as an
/// action's).
extension ConsoleServer {
    func addEntryRoutes(to router: Router<ConsoleContext>) {
        router.post("/api/preview") { [self] request, _ in
            let session = try authenticated(request)
            try checkCSRF(request.headers[.csrfToken], session: session)
            let body = try await request.body.collect(upTo: 16 * 1024)
            let ticket: ConsoleTicket
            do {
                ticket = try JSONDecoder().decode(ConsoleTicket.self, from: Data(buffer: body))
            } catch {
                throw HTTPError(.badRequest, message: "not an order ticket: \(error)")
            }
            let preview = await preview(ticket, session: session)
            return try ConsolePages.json(preview, status: preview.refused ? .forbidden : preview.ok ? .ok : .badRequest)
        }
    }

    /// The risk sidecar's preview of `ticket` for the signed-in user, when their role and
    /// accounts allow them to enter it and it reads as an order.
    func preview(_ ticket: ConsoleTicket, session: ConsoleSession) async -> ConsolePreview {
        let user = session.user
        guard user.role.may(.enterOrders) else {
            logger.notice("console preview refused", metadata: ["user": "\(user.name)"])
            return .failure("refused: a \(user.role.rawValue) may not preview orders", refused: true)
        }
        guard user.mayTrade(account: ticket.account) else {
            return .failure("refused: \(ticket.account) is not one of your accounts", refused: true)
        }
        if let orderID = ticket.replacing {
            switch await account(of: orderID) {
            case .success(let account):
                guard user.mayTrade(account: account) else { return .failure("refused: \(orderID) is not an order of your accounts", refused: true) }
            case .failure(let failure):
                return .failure(failure.outcome.message)
            }
        }
        if let problem = ticket.problem { return .failure(problem) }
        return await backend.preview(ticket, by: user)
    }

    /// What is wrong with an order entry action's values, as the user is told; `nil` for any
    /// other action, or one that may go on to the gateway.
    func entryProblem(_ action: ConsoleAction) -> ConsoleOutcome? {
        switch action {
        case .newOrder(let ticket):
            return ticket.problem.map { ConsoleOutcome(ok: false, message: $0) }
        case .replaceOrder(_, let quantity, let price):
            let quantity = quantity?.trimmingSpaces ?? "", price = price?.trimmingSpaces ?? ""
            if quantity.isEmpty && price.isEmpty { return ConsoleOutcome(ok: false, message: "a replace changes the quantity, the price or both") }
            if !quantity.isEmpty, let problem = ConsoleTicket.quantityProblem(quantity) { return ConsoleOutcome(ok: false, message: problem) }
            if !price.isEmpty, !ConsoleTicket.isDecimal(price) { return ConsoleOutcome(ok: false, message: "price \(price) is not a decimal number") }
            return nil
        default:
            return nil
        }
    }

    /// The account of the order `orderID` as the state shows it, or what to answer.
    func account(of orderID: String) async -> Result<String, OrderLookupFailure> {
        let account: String?
        do {
            account = try await currentState().orders.first { $0.orderID == orderID }?.account
        } catch {
            return .failure(OrderLookupFailure(outcome: ConsoleOutcome(ok: false, message: "the order could not be looked up: \(error)")))
        }
        guard let account else { return .failure(OrderLookupFailure(outcome: ConsoleOutcome(ok: false, message: "no order \(orderID)"))) }
        return .success(account)
    }
}

/// An order an action names, not found: the answer to give.
struct OrderLookupFailure: Error {
    let outcome: ConsoleOutcome
}
