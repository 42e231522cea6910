@testable import Console
import ConsoleAccess
import Foundation
import Testing

/// The hub's versions: pages pull the message from the version they last wrote to the newest,
/// encoded once per view, a slow page skipping versions and one too far behind sent the whole
/// state; nothing waits for a page but one wake-up.
struct ConsoleHubTests {
    typealias Fixture = ConsoleStateTests

    /// The state at version `n`: order WH2 filled `n` lots, a new order per version.
    static func state(_ n: Int) -> ConsoleState {
        var state = Fixture.state
        state.time = Int64(n)
        state.orders[1].cumQty = Int64(n)
        for extra in 0..<n { state.orders.insert(Fixture.order("N\(extra)", account: extra.isMultiple(of: 2) ? "DESK1" : "DESK2"), at: 0) }
        return state
    }

    @Test func aPageIsSentTheWholeStateThenOnlyWhatChanged() throws {
        let hub = ConsoleHub()
        let page = hub.watch(token: "r", user: Fixture.user(.riskManager))
        #expect(hub.next(for: page.id) == nil, "nothing published yet")
        hub.publish(Self.state(1))
        let whole = try #require(hub.next(for: page.id))
        #expect(whole.contains(#""type":"state""#))
        #expect(try PageModel(whole) == PageModel(ConsoleMessage.state(Self.state(1))))
        #expect(hub.next(for: page.id) == nil, "the page has the newest")
        hub.publish(Self.state(2))
        let patch = try #require(hub.next(for: page.id))
        #expect(patch.contains(#""type":"patch""#))
        #expect(!patch.contains(#""orderID":"WH1""#), "the unchanged order is not sent again: \(patch)")
        #expect(patch.contains(#""keys":["N1","N0","WH1","WH2"]"#), "a row came: the new key order: \(patch)")
        #expect(!patch.contains("\"sessions\""), "an unchanged table is left out: \(patch)")
        var model = try PageModel(whole)
        try model.apply(patch)
        #expect(model == (try PageModel(ConsoleMessage.state(Self.state(2)))))
    }

    /// A page that wrote version 1 while 2, 3 and 4 came is sent one patch, from 1 to 4, and
    /// has the newest state once it applies it.
    @Test func aSlowPageSkipsVersionsAndConvergesOnTheNewest() throws {
        let hub = ConsoleHub()
        let page = hub.watch(token: "r", user: Fixture.user(.riskManager))
        hub.publish(Self.state(1))
        var model = try PageModel(try #require(hub.next(for: page.id)))
        for n in 2...4 { hub.publish(Self.state(n)) }
        let patch = try #require(hub.next(for: page.id))
        #expect(patch.contains(#""type":"patch""#), "version 1 is still kept: a patch, not the whole state")
        try model.apply(patch)
        #expect(model == (try PageModel(ConsoleMessage.state(Self.state(4)))))
        #expect(hub.next(for: page.id) == nil)
    }

    /// However many versions come, a page has at most one wake-up waiting.
    @Test func aPageHasAtMostOneWakeUpWaiting() async throws {
        let hub = ConsoleHub()
        let page = hub.watch(token: "r", user: Fixture.user(.riskManager))
        for n in 1...50 { hub.publish(Self.state(n)) }
        hub.remove(page.id)
        var wakes = 0
        for await _ in page.wakes { wakes += 1 }
        #expect(wakes == 1)
    }

    @Test func pagesOfOneViewShareOneEncoding() throws {
        let hub = ConsoleHub()
        let pages = (1...5).map { hub.watch(token: "r\($0)", user: ConsoleUser(name: "risk\($0)", role: .riskManager, password: Fixture.hash)) }
        hub.publish(Self.state(1))
        let wholes = try pages.map { try #require(hub.next(for: $0.id)) }
        #expect(Set(wholes).count == 1)
        #expect(hub.encodings == 1, "one whole state for five pages of one view")
        hub.publish(Self.state(2))
        let patches = try pages.map { try #require(hub.next(for: $0.id)) }
        #expect(Set(patches).count == 1 && patches[0].contains(#""type":"patch""#))
        #expect(hub.encodings == 2, "one patch for five pages of one view")
    }

    /// Each view is sent only what its users may see, encoded for that view.
    @Test func eachViewIsSentWhatItsUsersMaySee() throws {
        let hub = ConsoleHub()
        let trader = hub.watch(token: "t", user: Fixture.user(.trader, accounts: ["DESK2"]))
        let risk = hub.watch(token: "r", user: Fixture.user(.riskManager))
        hub.publish(Self.state(1))
        let traderText = try #require(hub.next(for: trader.id))
        let riskText = try #require(hub.next(for: risk.id))
        #expect(traderText.contains("WH2") && !traderText.contains("WH1"))
        #expect(riskText.contains("WH1") && riskText.contains("WH2"))
        #expect(hub.encodings == 2)
        hub.close(token: "t")
        hub.remove(risk.id)
        #expect(hub.isEmpty)
    }

    /// A page further behind than the kept versions is sent the whole newest state.
    @Test func aPagePastTheKeptVersionsGetsTheWholeState() throws {
        let hub = ConsoleHub()
        let page = hub.watch(token: "r", user: Fixture.user(.riskManager))
        hub.publish(Self.state(1))
        _ = try #require(hub.next(for: page.id))
        let newest = 2 + ConsoleHub.keptVersions
        for n in 2...newest { hub.publish(Self.state(n)) }
        let text = try #require(hub.next(for: page.id))
        #expect(text.contains(#""type":"state""#), "version 1 is no longer kept")
        #expect(try PageModel(text) == PageModel(ConsoleMessage.state(Self.state(newest))))
    }

    /// A state that differs from the view's newest only in its time is no new version: the
    /// pages are not woken and sent nothing.
    @Test func onlyTheTimeMovedIsNoNewVersion() async throws {
        let hub = ConsoleHub()
        let page = hub.watch(token: "r", user: Fixture.user(.riskManager))
        hub.publish(Self.state(1))
        _ = try #require(hub.next(for: page.id))
        var later = Self.state(1)
        later.time = 99
        hub.publish(later)
        #expect(hub.next(for: page.id) == nil)
        hub.remove(page.id)
        var wakes = 0
        for await _ in page.wakes { wakes += 1 }
        #expect(wakes == 1, "woken for version 1 only")
    }

    /// A page that opens after a view was published is woken at once and sent the newest whole.
    @Test func aLatePageIsSentTheNewestWhole() async throws {
        let hub = ConsoleHub()
        let early = hub.watch(token: "r", user: Fixture.user(.riskManager))
        hub.publish(Self.state(1))
        hub.publish(Self.state(2))
        _ = try #require(hub.next(for: early.id))
        let late = hub.watch(token: "r2", user: Fixture.user(.riskManager))
        var wakes = late.wakes.makeAsyncIterator()
        #expect(await wakes.next() != nil)
        let text = try #require(hub.next(for: late.id))
        #expect(text.contains(#""type":"state""#))
        #expect(try PageModel(text) == PageModel(ConsoleMessage.state(Self.state(2))))
        #expect(hub.encodings == 1, "the late page shares the whole state the early one was sent")
    }
}

/// What a page holds, as the page script keeps it: the state's JSON, patched table by table
/// (rows replaced or added by key, then put in the patch's key order when it has one).
struct PageModel: Equatable {
    private(set) var tables: [String: [[String: AnyHashable]]] = [:]
    private(set) var scalars: [String: AnyHashable] = [:]

    /// Each table's key, as ``ConsolePatch`` writes it: its fields, and what joins them.
    static let keys: [String: (fields: [String], separator: String)] = [
        "sessions": (["name"], ""), "orders": (["orderID"], ""), "fills": (["execID"], ""), "positions": (["account", "symbol"], " "),
        "totals": (["scope"], ""), "limits": (["control", "scope", "subject"], "|"), "killSwitches": (["scope"], ""),
        "approvals": (["id"], ""), "market": (["symbol"], ""), "spreads": (["name"], ""), "venues": (["name"], ""), "signals": (["root"], ""),
    ]

    static func key(_ row: [String: AnyHashable], _ key: (fields: [String], separator: String)) -> String {
        key.fields.map { row[$0].map { "\($0)" } ?? "" }.joined(separator: key.separator)
    }

    /// From a `{"type":"state"}` message.
    init(_ message: String) throws {
        let body = try Self.body(message, type: "state")
        for (name, value) in body {
            if let rows = value as? [[String: Any]] { tables[name] = rows.map(Self.row) } else { scalars[name] = Self.value(value) }
        }
    }

    /// Applies a `{"type":"patch"}` message.
    mutating func apply(_ message: String) throws {
        let body = try Self.body(message, type: "patch")
        for (name, value) in body {
            guard let table = value as? [String: Any], let fields = Self.keys[name] else {
                scalars[name] = Self.value(value)
                continue
            }
            var rows = tables[name] ?? []
            for row in (table["upsert"] as? [[String: Any]] ?? []).map(Self.row) {
                if let index = rows.firstIndex(where: { Self.key($0, fields) == Self.key(row, fields) }) { rows[index] = row } else { rows.append(row) }
            }
            if let order = table["keys"] as? [String] {
                var byKey: [String: [String: AnyHashable]] = [:]
                for row in rows { byKey[Self.key(row, fields)] = row }
                rows = order.compactMap { byKey[$0] }
            }
            tables[name] = rows
        }
    }

    private static func body(_ message: String, type: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(message.utf8)) as? [String: Any]
        guard object?["type"] as? String == type, let body = object?["body"] as? [String: Any] else {
            throw PageModelError(message: "not a \(type) message: \(message.prefix(200))")
        }
        return body
    }

    private static func row(_ row: [String: Any]) -> [String: AnyHashable] { row.mapValues(value) }

    private static func value(_ value: Any) -> AnyHashable {
        switch value {
        case let text as String: AnyHashable(text)
        case let number as NSNumber: AnyHashable(number)
        case let rows as [[String: Any]]: AnyHashable(rows.map(row))
        case let fields as [String: Any]: AnyHashable(row(fields))
        default: AnyHashable("\(value)")
        }
    }
}

struct PageModelError: Error {
    let message: String
}
