import FIXCodec
import Foundation
@testable import Gateway
import Instruments
import Testing
import OrderEntry
@testable import RiskSidecar

/// The hand-written order JSON is what `JSONEncoder` would write, and reads back as the order.
@Suite struct AuditJSONTests {
    static func orders() -> [ClientOrder] {
        let terms = OrderTerms(account: "DESK \"1\"/a\\b\n", symbol: "CLF7", side: .sell, type: .stopLimit, timeInForce: .goodTillDate,
                               quantity: 7, price: FIXDecimal("-37.63"), stopPrice: FIXDecimal("70.10"), expireTime: 1_795_000_000_000_000_000)
        var filled = ClientOrder(orderID: "WH00000001", session: "OMS1", clOrdID: "A1", terms: terms)
        _ = filled.accepted()
        _ = filled.filled(3, at: FIXDecimal("70.01")!)
        var replacing = filled
        var newTerms = terms
        newTerms.quantity = 9
        newTerms.stopPrice = nil
        _ = replacing.requested(PendingChange(kind: .replace(newTerms), clOrdID: "A2"))
        var canceling = ClientOrder(orderID: "WH00000002", session: "OMS2", clOrdID: "B1",
                                     terms: OrderTerms(account: "DESK2", symbol: "RBG7", side: .buy, type: .market,
                                                       timeInForce: .day, quantity: 1))
        _ = canceling.requested(PendingChange(kind: .cancel, clOrdID: "B2"))
        var replaced = replacing
        _ = replaced.replaced()
        return [filled, replacing, canceling, replaced]
    }

    @Test(arguments: AuditJSONTests.orders())
    func handWrittenJSONMatchesTheEncoderAndDecodesBack(order: ClientOrder) throws {
        let text = order.auditJSON()
        let reference = String(decoding: try JSONEncoder().encode(OrderAudit(order)), as: UTF8.self)
        let decoded = try #require(try? JSONDecoder().decode(OrderAudit.self, from: Data(text.utf8)), "\(text)\n\(reference)")
        #expect(decoded.order == order)
        let mine = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSDictionary
        let theirs = try JSONSerialization.jsonObject(with: JSONEncoder().encode(OrderAudit(order))) as? NSDictionary
        #expect(mine == theirs, "\(text)")
    }

    static func decisions() -> [RiskAuditRecord] {
        let accepted = RiskAuditRecord(
            time: 1_795_000_000_123_456_789, action: "new", orderKey: "WH00000001", clOrdID: "C/1 \"q\"", account: "DESK1",
            session: "OMS1", symbol: "CLF7", root: "CL", side: "buy", quantity: 5, orderType: "2", price: "-37.63",
            stopPrice: nil, timeInForce: "0", originalQuantity: nil, originalPrice: nil, referencePrice: "71.25",
            referencePriceKind: "mid", protectionBasePrice: nil, protectionBaseKind: nil, accepted: true,
            adjustedLimitPrice: nil, check: nil, scope: nil, limit: nil, value: nil, ordRejReason: nil, cxlRejReason: nil,
            text: nil, warnings: ["position 80% of 100\n(account DESK1)"], cancelResting: [], logoutSession: false)
        var rejected = accepted
        rejected.accepted = false
        rejected.check = "priceCollar"
        rejected.scope = "account DESK1"
        rejected.limit = "20"
        rejected.value = "3400"
        rejected.ordRejReason = 3
        rejected.text = "price collar: -37.63 is 3400 ticks from reference 71.25, limit 20 ticks (account DESK1)\t\u{1}"
        rejected.warnings = []
        var replace = accepted
        replace.action = "replace"
        replace.originalQuantity = 3
        replace.originalPrice = "70.00"
        replace.ordRejReason = nil
        replace.cxlRejReason = 0
        replace.cancelResting = ["WH00000002", "WH00000003"]
        replace.logoutSession = true
        return [accepted, rejected, replace]
    }

    @Test(arguments: AuditJSONTests.decisions())
    func handWrittenRiskDecisionMatchesTheEncoderAndDecodesBack(record: RiskAuditRecord) throws {
        let text = record.auditJSON
        let decoded = try JSONDecoder().decode(RiskAuditRecord.self, from: Data(text.utf8))
        #expect(decoded == record, "\(text)")
        let mine = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSDictionary
        let theirs = try JSONSerialization.jsonObject(with: JSONEncoder().encode(record)) as? NSDictionary
        #expect(mine == theirs, "\(text)")
    }
}
