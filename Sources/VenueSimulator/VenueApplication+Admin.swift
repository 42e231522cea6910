import Foundation
import Gateway

extension VenueApplication {
    /// The venue's own admin requests (halt, resume); `nil` for the rest, which the order
    /// side (``GatewayApplication``) answers: kill switches, shocks, status.
    public func handle(_ request: AdminRequest) -> AdminResponse {
        switch request.command {
        case .halt, .resume:
            guard let person = request.by?.trimmingCharacters(in: .whitespaces), !person.isEmpty else {
                return orders.adminResponse(ok: false, "a halt or resume names the person acting (by)")
            }
            if request.command == .halt {
                halt(by: person, reason: request.reason ?? "")
                return orders.adminResponse(ok: true, "trading halted on \(name) by \(person); only cancels are accepted")
            }
            resume(by: person)
            return orders.adminResponse(ok: true, "trading resumed on \(name) by \(person)")
        default:
            let response = orders.handle(request)
            // A shock moves the books at once: subscribers see it now, not at the next tick.
            if request.command == .shock { publishMarketData() }
            return response
        }
    }
}
