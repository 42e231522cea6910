import FIXCodec
import Instruments
@testable import RiskSidecar
import Testing
import TestSupport

/// The order path's check (`verdict`), which returns only what was decided, decides exactly as
/// `check`, which returns the decision with the order as its input: the same rejections (check,
/// scope, limit, value, text), the same notes and warnings, the same audit record once the
/// caller makes the decision from the verdict, and the same book afterwards.
@Suite struct VerdictTests {
    @Test func verdictsDecideAsChecks() {
        var checked = makeEngine(ResolvedOrderTests.limits)
        var verdicts = makeEngine(ResolvedOrderTests.limits)
        checked.permitAccounts(["DESK1", "DESK2", "DESK3"], session: "OMS2")
        verdicts.permitAccounts(["DESK1", "DESK2", "DESK3"], session: "OMS2")
        var accepted = 0
        var rejectedChecks: Set<RiskCheck> = []
        for (index, order) in ResolvedOrderTests.orders().enumerated() {
            let now = T.at(ms: Int64(index * 7))
            var resolved = order
            verdicts.resolve(&resolved)
            let expected = checked.check(order, now: now)
            let verdict = verdicts.verdict(resolved, now: now)
            #expect(verdict.isAccepted == expected.isAccepted, "order \(index)")
            #expect(verdict.rejection == expected.rejection, "order \(index)")
            #expect(verdict.adjustedLimitPrice == expected.adjustedLimitPrice)
            #expect(verdict.warnings == expected.warnings)
            #expect(verdict.cancelResting == expected.cancelResting)
            #expect(verdict.logoutSession == expected.logoutSession)
            #expect(RiskDecision(resolved, verdict, time: now).auditRecord == expected.auditRecord, "order \(index)")
            if let rejection = verdict.rejection { rejectedChecks.insert(rejection.check) } else { accepted += 1 }
            if index % 5 == 4 {
                checked.orderDone(key: order.key, now: now)
                verdicts.orderDone(key: order.key, now: now)
            }
        }
        #expect(accepted > 10)
        // (The throttles fill up before the repeated ClOrdID and key at the end are reached.)
        #expect(rejectedChecks.isSuperset(of: [.orderSize, .restrictedAccount, .unknownAccount, .priceCollar,
                                               .positionLimit, .orderRate, .messageRate, .selfTrade]), "\(rejectedChecks)")
        #expect(verdicts.workingOrders() == checked.workingOrders())
        #expect(verdicts.utilisation(now: T.at(seconds: 1)) == checked.utilisation(now: T.at(seconds: 1)))
    }

    /// Through the sidecar: a verdict's warnings, capped price and rejection are those of the
    /// decision, and the decision made from it journals the same record.
    @Test func sidecarVerdictCarriesWarningsCapsAndRejections() {
        let limits = RiskLimits(
            firm: LimitSet(maxOrderSize: 50, marketProtection: .ticks(20)),
            accounts: ["DESK1": LimitSet(maxPositionPerMonth: 100)])
        let byCheck = RiskSidecar(limits: limits, contracts: TestContracts.all)
        let byVerdict = RiskSidecar(limits: limits, contracts: TestContracts.all)
        let prices = ReferencePrices(last: dec("75.28"), bid: dec("75.27"), ask: dec("75.29"))
        for sidecar in [byCheck, byVerdict] {
            sidecar.updateReferencePrices(prices, symbol: "CLK6", root: "CL", now: T.zero)
        }
        var factory = OrderFactory()
        let orders = [
            factory.order(.buy, 40),                   // 40 % of the month's limit: nothing to report
            factory.order(.buy, 36),                   // 76 %: a warning
            factory.order(.buy, 60),                   // over the firm's order size
            factory.order(.buy, 10, at: nil, type: .market),  // capped at the ask + 20 ticks; 86 %
        ]
        var warned = 0
        for (index, order) in orders.enumerated() {
            let now = T.at(ms: Int64(index))
            let expected = byCheck.check(order, now: now)
            let verdict = byVerdict.verdict(byVerdict.resolved(order), now: now)
            #expect(verdict.rejection == expected.rejection)
            #expect(verdict.warnings == expected.warnings)
            #expect(verdict.adjustedLimitPrice == expected.adjustedLimitPrice)
            #expect(RiskDecision(order, verdict, time: now).auditRecord == expected.auditRecord)
            warned += verdict.warnings.count
        }
        #expect(warned >= 1)
        let sized = byVerdict.verdict(byVerdict.resolved(factory.order(.buy, 60)), now: T.at(ms: 9))
        #expect(sized.rejection?.check == .orderSize)
        #expect(sized.rejection?.text == "max order size: 60 contracts, limit 50 (firm)")
        let market = byVerdict.verdict(factory.order(.sell, 1, at: nil, type: .market), now: T.at(ms: 10))
        #expect(market.adjustedLimitPrice == dec("75.07"))
    }
}
