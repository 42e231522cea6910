import ConsoleAccess
import FIXJournal
import Foundation
import Testing
import TestSupport

/// Order entry from the console, over real HTTP against `wellhead serve`: a trader previews an
/// order (the limits' use after it comes back, nothing is journaled or placed), enters it for
/// its account, sees it on the blotter as New with its name, replaces and cancels it; every
/// request is in the journal as a message of the console's own session with the user in its
/// Parties. Other accounts, other roles and an order over a limit are refused.
@Suite(.serialized) struct ConsoleEntryTests {
    static let consoleSession = "FIX.4.4:WELLHEAD->CONSOLE"

    static func ticket(_ symbol: String, account: String = "DESK1", quantity: String = "10", price: String = "40.00") -> String {
        #"{"account":"\#(account)","symbol":"\#(symbol)","side":"BUY","type":"LIMIT","quantity":"\#(quantity)","price":"\#(price)","timeInForce":"DAY"}"#
    }

    static func preview(_ client: ConsoleClient, _ ticket: String) throws -> ConsoleClient.Answer {
        try client.request("POST", "/api/preview", body: ticket, contentType: "application/json", headers: ["X-CSRF-Token": client.csrf ?? ""])
    }

    static func json(_ text: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }

    /// The console order with ClOrdID or OrderID `id` as the state shows it to `client`.
    static func order(_ client: ConsoleClient, _ id: String) throws -> [String: Any]? {
        let state = json(try client.request("GET", "/api/state").body)
        return (state["orders"] as? [[String: Any]] ?? []).first { $0["orderID"] as? String == id || $0["clOrdID"] as? String == id }
    }

    @Test func aTraderPreviewsEntersReplacesAndCancelsAnOrder() throws {
        let console = try ConsoleBrowserTests.Console()
        defer { console.stop() }
        let journalPath = console.served.directory.path("gateway.sqlite")
        let trader = ConsoleClient(port: console.consolePort)
        #expect(try trader.signIn("tara", ConsoleBrowserTests.password).status == 302)
        let ticket = Self.ticket(console.served.symbol)

        // The preview: each limit DESK1's order falls under, with its use after the order.
        let previewed = try Self.preview(trader, ticket)
        #expect(previewed.status == 200, "\(previewed.body)")
        let preview = Self.json(previewed.body)
        #expect(preview["accepted"] as? Bool == true, "\(previewed.body)")
        let limits = preview["limits"] as? [[String: Any]] ?? []
        let month = try #require(limits.first { $0["control"] as? String == "positionPerMonth" && $0["scope"] as? String == "account DESK1" },
                                 "\(previewed.body)")
        #expect(month["used"] as? String == "10" && month["limit"] as? String == "150" && month["percent"] as? String == "6.66", "\(month)")
        #expect(month["usedBefore"] as? String == "0" && month["level"] as? String == "normal", "\(month)")
        // Nothing reached the gateway: no message of the console's session, no order.
        #expect(waitForJournal(journalPath, timeout: 10) { journal in
            try journal.messages().allSatisfy { $0.session.name != Self.consoleSession } && journal.events(kind: "order").isEmpty
        })
        #expect(try Self.order(trader, "C00000001") == nil)

        // Entered: the first report's status comes back, and the blotter shows it New, with its user.
        let entered = try trader.act(#"{"newOrder":{"ticket":\#(ticket)}}"#)
        #expect(entered.status == 200 && Self.json(entered.body)["ok"] as? Bool == true, "\(entered.body)")
        #expect(entered.body.contains("WH00000001 (C00000001) pending new"), "\(entered.body)")
        var row: [String: Any]?
        #expect(eventually(timeout: 10) { row = try? Self.order(trader, "WH00000001"); return row?["status"] as? String == "NEW" }, "\(row ?? [:])")
        #expect(row?["enteredBy"] as? String == "tara" && row?["session"] as? String == "CONSOLE" && row?["account"] as? String == "DESK1", "\(row ?? [:])")

        // The replace previewed first: the month's use as it would be with 12 working.
        let replacePreview = Self.json(try Self.preview(trader, Self.ticket(console.served.symbol, quantity: "12", price: "40.01")
                                                            .replacingOccurrences(of: "}", with: #","replacing":"WH00000001"}"#)).body)
        let replaceMonth = (replacePreview["limits"] as? [[String: Any]] ?? []).first { $0["control"] as? String == "positionPerMonth" }
        #expect(replacePreview["accepted"] as? Bool == true && replaceMonth?["usedBefore"] as? String == "10" && replaceMonth?["used"] as? String == "12",
                "\(replacePreview)")
        let replaced = try trader.act(#"{"replaceOrder":{"orderID":"WH00000001","quantity":"12","price":"40.01"}}"#)
        #expect(Self.json(replaced.body)["ok"] as? Bool == true, "\(replaced.body)")
        #expect(eventually(timeout: 10) {
            row = try? Self.order(trader, "WH00000001")
            return row?["quantity"] as? Int == 12 && row?["price"] as? String == "40.01" && row?["status"] as? String == "NEW"
        }, "\(row ?? [:])")

        let cancelled = try trader.act(#"{"cancelOrder":{"orderID":"WH00000001"}}"#)
        #expect(Self.json(cancelled.body)["ok"] as? Bool == true, "\(cancelled.body)")
        #expect(eventually(timeout: 10) { row = try? Self.order(trader, "WH00000001"); return row?["status"] as? String == "CANCELED" },
                "\(row ?? [:])")

        // The journal: the console's new order, replace and cancel, each with tara as its
        // Order Origination Trader, and the gateway's reports to the console's session.
        #expect(waitForJournal(journalPath, timeout: 10) { journal in
            try journaled(journal, session: Self.consoleSession, .inbound, msgType: "D", with: ["11=C00000001", "1=DESK1", "448=tara", "452=11"])
                && journaled(journal, session: Self.consoleSession, .inbound, msgType: "G", with: ["41=C00000001", "38=12", "44=40.01", "448=tara"])
                && journaled(journal, session: Self.consoleSession, .inbound, msgType: "F", with: ["41=C00000002", "448=tara"])
                && journaled(journal, session: Self.consoleSession, .outbound, msgType: "8", with: ["37=WH00000001", "39=4"])
        })
        // Compliance finds the order by its console ClOrdID, with who entered it.
        let compliance = ConsoleClient(port: console.consolePort)
        try compliance.signIn("carl", ConsoleBrowserTests.password)
        var lifecycle = ""
        #expect(eventually(timeout: 10) {
            lifecycle = (try? compliance.request("GET", "/api/audit/order?clordid=C00000001").body) ?? ""
            return lifecycle.contains("PartyID(448)=tara") && lifecycle.contains("OrigClOrdID(41)=C00000002")
        }, "\(lifecycle.prefix(2000))")
    }

    @Test func otherAccountsOtherRolesAndOrdersOverALimitAreRefused() throws {
        let console = try ConsoleBrowserTests.Console()
        defer { console.stop() }
        let symbol = console.served.symbol
        let trader = ConsoleClient(port: console.consolePort)
        try trader.signIn("tara", ConsoleBrowserTests.password)

        let foreign = try trader.act(#"{"newOrder":{"ticket":\#(Self.ticket(symbol, account: "DESK2"))}}"#)
        #expect(foreign.status == 403 && foreign.body.contains("refused: DESK2 is not one of your accounts"), "\(foreign.body)")
        let foreignPreview = try Self.preview(trader, Self.ticket(symbol, account: "DESK2"))
        #expect(foreignPreview.status == 403 && foreignPreview.body.contains("not one of your accounts"), "\(foreignPreview.body)")

        // Read at the edge: a fractional quantity, a price off the tick grid, a stop without its price.
        let fractional = try trader.act(#"{"newOrder":{"ticket":\#(Self.ticket(symbol, quantity: "1.5"))}}"#)
        #expect(fractional.body.contains("quantity 1.5 is not a positive whole number"), "\(fractional.body)")
        let offTick = try trader.act(#"{"newOrder":{"ticket":\#(Self.ticket(symbol, price: "40.005"))}}"#)
        #expect(offTick.body.contains("is not on \(symbol)'s tick grid"), "\(offTick.body)")
        let stop = try trader.act(#"{"newOrder":{"ticket":{"account":"DESK1","symbol":"\#(symbol)","side":"SELL","type":"STOP","quantity":"1","timeInForce":"DAY"}}}"#)
        #expect(stop.body.contains("a stop order needs a stop price"), "\(stop.body)")

        // Over DESK1's maximum order size: the preview names the check, and so does the reject.
        let overPreview = Self.json(try Self.preview(trader, Self.ticket(symbol, quantity: "120")).body)
        #expect(overPreview["accepted"] as? Bool == false && overPreview["check"] as? String == "orderSize", "\(overPreview)")
        let over = try trader.act(#"{"newOrder":{"ticket":\#(Self.ticket(symbol, quantity: "120"))}}"#)
        #expect(over.status == 200 && over.body.contains("rejected: max order size: 120 contracts, limit 100 (account DESK1)"), "\(over.body)")
        var row: [String: Any]?
        #expect(eventually(timeout: 10) { row = try? Self.order(trader, "WH00000001"); return row?["status"] as? String == "REJECTED" }, "\(row ?? [:])")

        for (name, role) in [("carl", ConsoleRole.compliance), ("rita", .riskManager), ("ada", .admin)] {
            let client = ConsoleClient(port: console.consolePort)
            try client.signIn(name, ConsoleBrowserTests.password)
            let order = try client.act(#"{"newOrder":{"ticket":\#(Self.ticket(symbol))}}"#)
            #expect(order.status == 403 && order.body.contains("refused: a \(role.rawValue) may not new-order"), "\(name): \(order.body)")
            let replace = try client.act(#"{"replaceOrder":{"orderID":"WH00000001","quantity":"2","price":null}}"#)
            #expect(replace.status == 403 && replace.body.contains("refused: a \(role.rawValue) may not replace"), "\(name): \(replace.body)")
            let preview = try Self.preview(client, Self.ticket(symbol))
            #expect(preview.status == 403 && preview.body.contains("refused: a \(role.rawValue) may not preview"), "\(name): \(preview.body)")
        }
    }
}
