import FIXCodec
import Foundation
@testable import Gateway
import Instruments
import Testing
import OrderEntry

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
}
