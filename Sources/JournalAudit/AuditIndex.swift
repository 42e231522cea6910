import FIXCodec
import FIXJournal

/// The journal's rows decoded and tied together: two rows are of one order when they share
/// a link (an OMS session's ClOrdID, OrigClOrdID (41) naming the ClOrdID before it, the
/// gateway's OrderID, an ExecID, a venue session's ClOrdID or OrderID, a route).
struct AuditIndex {
    /// Every row, in time order.
    private(set) var rows: [AuditRow] = []
    private var links = Links()
    /// Kill switches, warnings and admin actions: rows that touch every order under a scope.
    private var scoped: [(row: Int, scope: AuditScope, engagesKillSwitch: Bool, adminEngage: Bool)] = []
    /// Each row's account, as the row itself names it.
    private var accounts: [Int: String] = [:]

    init(messages: [JournalMessageRow], events: [JournalEventRow], decoder: AuditMessageDecoder) throws(AuditError) {
        var venueSessions = Set<String>()
        var parsedEvents: [(JournalEventRow, AuditJSON)] = []
        for event in events {
            let json = try AuditJSON.parse((event.id, event.kind, event.json))
            if event.kind == "route", let session = json.text("route", "session") { venueSessions.insert(session) }
            parsedEvents.append((event, json))
        }
        var pending: [(AuditRow, [Link])] = []
        for message in messages { pending.append(try Self.row(message, venueSessions: venueSessions, decoder: decoder)) }
        var scopes: [Int64: (scope: AuditScope, engagesKillSwitch: Bool, adminEngage: Bool)] = [:]
        for (event, json) in parsedEvents {
            pending.append(Self.row(event, json: json, decoder: decoder))
            if let scope = AuditScope(kind: event.kind, json: json) {
                scopes[event.id] = (scope, event.kind == "risk.killSwitch" && json["releasedBy"] == nil,
                                    event.kind == "admin" && json.text("command") == "kill-switch-engage")
            }
        }
        pending.sort { ($0.0.time, $0.0.table == .events ? 0 : 1, $0.0.id) < ($1.0.time, $1.0.table == .events ? 0 : 1, $1.0.id) }
        for (position, (row, rowLinks)) in pending.enumerated() {
            rows.append(row)
            let node = links.node(.row(position))
            for link in rowLinks { links.union(node, links.node(link)) }
            if !row.account.isEmpty { accounts[position] = row.account }
            if row.table == .events, let scope = scopes[row.id] {
                scoped.append((position, scope.scope, scope.engagesKillSwitch, scope.adminEngage))
            }
        }
    }

    // MARK: Finding orders

    func keys(clOrdID: String) -> [Link] {
        links.known.filter { if case .clOrdID(_, let value) = $0 { value == clOrdID } else { false } }
    }

    func keys(orderID: String) -> [Link] {
        links.known.filter {
            switch $0 {
            case .orderID(let value): value == orderID
            case .venueOrderID(_, let value): value == orderID
            default: false
            }
        }
    }

    /// The orders of `keys` (every order when `nil`), oldest first.
    func lifecycles(keys: [Link]?) -> [OrderLifecycle] {
        var components: [Int: [Int]] = [:]
        for position in rows.indices { components[links.root(.row(position)), default: []].append(position) }
        let wanted: Set<Int>? = keys.map { Set($0.map { links.root($0) }) }
        var linksByRoot: [Int: [Link]] = [:]
        for link in links.known { linksByRoot[links.root(link), default: []].append(link) }
        var orders: [OrderLifecycle] = []
        for (root, members) in components where wanted?.contains(root) ?? true {
            let orderLinks = linksByRoot[root] ?? []
            guard orderLinks.contains(where: \.namesOrder) else { continue }
            orders.append(lifecycle(members: members, links: orderLinks))
        }
        return orders.sorted { ($0.start, $0.clOrdIDs.first ?? "") < ($1.start, $1.clOrdIDs.first ?? "") }
    }

    private func lifecycle(members: [Int], links orderLinks: [Link]) -> OrderLifecycle {
        var clOrdIDs: [String] = []
        var venueClOrdIDs: [String] = []
        var sessions = Set<String>()
        var account = ""
        for position in members {
            let row = rows[position]
            if row.party == .oms || row.party == .gateway {
                for id in [row.origClOrdID, row.clOrdID] where !id.isEmpty && !clOrdIDs.contains(id) { clOrdIDs.append(id) }
            }
            if row.party == .venue {
                for id in [row.origClOrdID, row.clOrdID] where !id.isEmpty && !venueClOrdIDs.contains(id) { venueClOrdIDs.append(id) }
            }
            if account.isEmpty { account = accounts[position] ?? "" }
        }
        for link in orderLinks { if case .clOrdID(let session, _) = link { sessions.insert(session) } }
        let start = members.map { rows[$0].time }.min() ?? 0
        let end = members.map { rows[$0].time }.max() ?? 0
        var included = Set(members)
        var engaged: [AuditScope] = []
        for entry in scoped where entry.scope.covers(account: account, sessions: sessions) {
            let row = rows[entry.row]
            if start <= row.time && row.time <= end {
                included.insert(entry.row)
                if entry.engagesKillSwitch { engaged.append(entry.scope) }
            } else if entry.adminEngage, row.time > end, let at = engaged.firstIndex(of: entry.scope) {
                // The admin action that engaged a kill switch whose cancels ended the order: its
                // record follows the cancels, once they are journaled.
                included.insert(entry.row)
                engaged.remove(at: at)
            }
        }
        let orderIDs = orderLinks.compactMap { if case .orderID(let id) = $0 { id } else { nil } }.sorted()
        let own = Set(members)
        return OrderLifecycle(
            clOrdIDs: clOrdIDs, orderIDs: orderIDs,
            venueOrderIDs: orderLinks.compactMap { if case .venueOrderID(_, let id) = $0 { id } else { nil } }.sorted(),
            venueClOrdIDs: venueClOrdIDs, account: account,
            rows: included.sorted().map { own.contains($0) ? Self.naming(rows[$0], account: account, orderID: orderIDs.first) : rows[$0] })
    }

    /// Every row, each naming its order's account and gateway OrderID where it does not itself.
    func rowsNamingTheirOrders() -> [AuditRow] {
        var accountByRoot: [Int: String] = [:]
        for (position, account) in accounts.sorted(by: { $0.key < $1.key }) where accountByRoot[links.root(.row(position))] == nil {
            accountByRoot[links.root(.row(position))] = account
        }
        var orderIDByRoot: [Int: String] = [:]
        for link in links.known {
            if case .orderID(let id) = link, orderIDByRoot[links.root(link)] == nil { orderIDByRoot[links.root(link)] = id }
        }
        return rows.indices.map { position in
            let root = links.root(.row(position))
            return Self.naming(rows[position], account: accountByRoot[root] ?? "", orderID: orderIDByRoot[root])
        }
    }

    /// `row`, with `account` and `orderID` (its order's) where it names none.
    private static func naming(_ row: AuditRow, account: String, orderID: String?) -> AuditRow {
        var row = row
        if row.account.isEmpty { row.account = account }
        if row.orderID.isEmpty, row.party != .venue { row.orderID = orderID ?? "" }
        return row
    }

    // MARK: Decoding rows

    private static func row(_ message: JournalMessageRow, venueSessions: Set<String>,
                            decoder: AuditMessageDecoder) throws(AuditError) -> (AuditRow, [Link]) {
        guard let direction = JournalDirection(rawValue: message.direction) else {
            throw .undecodableMessage(id: message.id, reason: "direction \(message.direction) is neither 0 (in) nor 1 (out)")
        }
        guard let kind = JournalKind(rawValue: message.kind) else {
            throw .undecodableMessage(id: message.id, reason: "kind \(message.kind) is not 0 to 3")
        }
        var row = AuditRow(table: .messages, id: message.id, time: message.time, party: .oms, kind: "\(kind)",
                           session: message.session.name, direction: direction == .inbound ? "in" : "out",
                           msgType: message.msgType, account: "", clOrdID: "", origClOrdID: "", orderID: "", text: "")
        let counterparty: String
        if kind == .garbled {
            row.text = "garbled: " + AuditMessageDecoder.raw(message.bytes)
            counterparty = message.session.name.split(separator: ">").last.map(String.init) ?? ""
            row.party = venueSessions.contains(counterparty) ? .venue : .oms
            return (row, [])
        }
        let parsed: FIXMessage
        do {
            parsed = try FIXMessage(parsing: message.bytes)
        } catch {
            throw .undecodableMessage(id: message.id, reason: "\(error): \(AuditMessageDecoder.raw(message.bytes))")
        }
        counterparty = parsed[direction == .inbound ? FIXTag.senderCompID : FIXTag.targetCompID]?.string ?? ""
        row.party = venueSessions.contains(counterparty) ? .venue : .oms
        row.account = parsed[AuditTag.account]?.string ?? ""
        row.clOrdID = parsed[AuditTag.clOrdID]?.string ?? ""
        row.origClOrdID = parsed[AuditTag.origClOrdID]?.string ?? ""
        row.orderID = Self.named(parsed[AuditTag.orderID]?.string)
        row.text = decoder.text(parsed)
        var rowLinks: [Link] = []
        if row.party == .venue {
            for id in [row.clOrdID, row.origClOrdID] where !id.isEmpty { rowLinks.append(.venueClOrdID(counterparty, id)) }
            if !row.orderID.isEmpty { rowLinks.append(.venueOrderID(counterparty, row.orderID)) }
        } else {
            for id in [row.clOrdID, row.origClOrdID] where !id.isEmpty { rowLinks.append(.clOrdID(counterparty, id)) }
            if !row.orderID.isEmpty { rowLinks.append(.orderID(row.orderID)) }
            if let execID = parsed[AuditTag.execID]?.string, !execID.isEmpty { rowLinks.append(.execID(execID)) }
        }
        return (row, rowLinks)
    }

    private static func row(_ event: JournalEventRow, json: AuditJSON, decoder: AuditMessageDecoder) -> (AuditRow, [Link]) {
        var row = AuditRow(table: .events, id: event.id, time: event.time, party: .gateway, kind: event.kind, session: "",
                           direction: "", msgType: "", account: "", clOrdID: "", origClOrdID: "", orderID: "",
                           text: AuditEventText.summary(kind: event.kind, json: json, decoder: decoder) + AuditMessageDecoder.separator + event.json)
        var rowLinks: [Link] = []
        switch event.kind {
        case "order":
            let session = json.text("order", "session") ?? ""
            row.session = session
            row.account = json.text("order", "terms", "account") ?? ""
            row.clOrdID = json.text("order", "clOrdID") ?? ""
            row.origClOrdID = json.text("order", "origClOrdID") ?? ""
            row.orderID = json.text("order", "orderID") ?? ""
            for id in [row.clOrdID, row.origClOrdID, json.text("order", "pending", "clOrdID") ?? ""] where !id.isEmpty {
                rowLinks.append(.clOrdID(session, id))
            }
            if !row.orderID.isEmpty { rowLinks.append(.orderID(row.orderID)) }
        case "risk.decision":
            row.session = json.text("session") ?? ""
            row.account = json.text("account") ?? ""
            row.clOrdID = json.text("clOrdID") ?? ""
            if !row.clOrdID.isEmpty { rowLinks.append(.clOrdID(row.session, row.clOrdID)) }
            if let key = json.text("orderKey"), !key.hasPrefix("DUP-") {
                row.orderID = key
                rowLinks.append(.orderID(key))
            }
        case "order.rejected", "cancel.rejected":
            row.session = json.text("session") ?? ""
            row.clOrdID = json.text("clOrdID") ?? ""
            if !row.clOrdID.isEmpty { rowLinks.append(.clOrdID(row.session, row.clOrdID)) }
        case "fill":
            row.session = json.text("session") ?? ""
            row.account = json.text("account") ?? ""
            if let execID = json.text("execID") { rowLinks.append(.execID(execID)) }
        case "route":
            // The gateway's record of the order at a venue: its ClOrdIDs there are the venue's.
            let session = json.text("route", "session") ?? ""
            row.party = .venue
            row.session = session
            if let number = json.text("id").flatMap(Int.init) {
                let digits = String(number)
                row.orderID = "WH" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
                rowLinks.append(.orderID(row.orderID))
            }
            row.clOrdID = json.text("route", "clOrdID") ?? ""
            for id in [row.clOrdID, json.text("route", "pendingClOrdID") ?? ""] where !id.isEmpty {
                rowLinks.append(.venueClOrdID(session, id))
            }
            if let venueOrderID = json.text("route", "venueOrderID") { rowLinks.append(.venueOrderID(session, venueOrderID)) }
        default:
            break
        }
        return (row, rowLinks)
    }

    /// An OrderID a message names, or empty for none (`NONE`, as a reject of an unknown order has it).
    private static func named(_ orderID: String?) -> String {
        guard let orderID, orderID != "NONE" else { return "" }
        return orderID
    }
}

/// What ties rows of one order together.
enum Link: Hashable {
    case row(Int)
    /// An OMS session's ClOrdID (ClOrdIDs are unique per session).
    case clOrdID(String, String)
    /// The gateway's OrderID.
    case orderID(String)
    case execID(String)
    /// A venue session's ClOrdID for the order.
    case venueClOrdID(String, String)
    /// A venue session's OrderID for the order.
    case venueOrderID(String, String)

    /// Whether the link is an order's (a set of rows with none is not an order).
    var namesOrder: Bool {
        switch self {
        case .clOrdID, .orderID: true
        default: false
        }
    }
}

/// Union-find over links.
private struct Links {
    private var ids: [Link: Int] = [:]
    private var parent: [Int] = []
    /// Every link but rows, in the order first seen.
    private(set) var known: [Link] = []

    mutating func node(_ link: Link) -> Int {
        if let id = ids[link] { return id }
        let id = parent.count
        ids[link] = id
        parent.append(id)
        if case .row = link {} else { known.append(link) }
        return id
    }

    mutating func union(_ a: Int, _ b: Int) {
        let (rootA, rootB) = (find(a), find(b))
        if rootA != rootB { parent[max(rootA, rootB)] = min(rootA, rootB) }
    }

    private func find(_ node: Int) -> Int {
        var node = node
        while parent[node] != node { node = parent[node] }
        return node
    }

    /// The link's set, or -1 for a link never seen.
    func root(_ link: Link) -> Int {
        guard let id = ids[link] else { return -1 }
        return find(id)
    }
}
