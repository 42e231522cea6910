import AdminSocket
import Foundation
import Gateway

extension VenueApplication {
    /// The venue's own admin requests (halt, resume, scenarios); the order side
    /// (``GatewayApplication``) answers the rest: kill switches, shocks, status.
    public func handle(_ request: AdminRequest) async -> AdminResponse {
        switch request.command {
        case .halt, .resume:
            guard let person = request.by?.trimmingCharacters(in: .whitespaces), !person.isEmpty else {
                return await orders.respond(ok: false, "a halt or resume names the person acting (by)")
            }
            if request.command == .halt {
                halt(by: person, reason: request.reason ?? "")
                return await orders.respond(ok: true, "trading halted on \(name) by \(person); only cancels are accepted")
            }
            resume(by: person)
            return await orders.respond(ok: true, "trading resumed on \(name) by \(person)")
        case .scenario:
            let file = request.file ?? "scenario"
            do {
                let scenario = try ScenarioLoader.parse(yaml: request.scenario ?? "", file: file)
                _ = try await orders.onLoop { _ in self.run(scenario) }
                return await orders.respond(ok: true, "scenario \(scenario.name) started on \(name): \(scenario.steps.count) steps, seed \(scenario.seed)")
            } catch {
                return await orders.respond(ok: false, "\(error)")
            }
        default:
            let response = await orders.handle(request)
            // A shock moves the books at once: subscribers see it now, not at the next tick.
            if request.command == .shock { _ = try? await orders.onLoop { _ in self.publishMarketData() } }
            return response
        }
    }
}
