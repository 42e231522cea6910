import FIXCodec
import FIXVocabulary

/// A FIX venue's market-data subscriptions and what each subscriber was last sent, so that a
/// change goes out as an incremental refresh (35=X) of just the levels that moved: deletes,
/// then changes, then new levels, each keyed by its price, as FIX 4.4 books by price are
/// maintained. Subscribers that asked for full refreshes (MDUpdateType 0) get a new snapshot
/// (35=W) of each book that changed instead.
///
/// A value type with no I/O: the venue application feeds it the books and the trade tape and
/// sends what it returns. Delivery order is the FIX session's, which has no gaps, so entries
/// carry no RptSeq.
public struct MarketDataPublisher: Sendable {
    /// A message for one subscriber's session.
    public struct Outbound: Sendable {
        public var session: String
        public var msgType: String
        public var body: FIXFieldList
    }

    /// Levels a side sent for MarketDepth 0 (the full book).
    public static let fullBookDepth = 50

    private struct Key: Hashable {
        var session: String
        var requestID: String
    }

    private struct Subscription {
        var request: MarketDataRequest
        var published: [String: BookDepth] = [:]
        /// Derived instruments' values as last sent (instruments without a book).
        var values: [String: FIXDecimal] = [:]
        var levels: Int { request.depth == 0 ? MarketDataPublisher.fullBookDepth : request.depth }
    }

    private var subscriptions: [Key: Subscription] = [:]

    public init() {}

    /// Every symbol someone is subscribed to.
    public var subscribedSymbols: Set<String> {
        Set(subscriptions.values.flatMap(\.request.symbols))
    }

    public var subscriptionCount: Int { subscriptions.count }

    /// Answers a MarketDataRequest from `session`: a snapshot (35=W) of each symbol, kept as
    /// the subscriber's starting point when it subscribes; an unsubscribe ends the
    /// subscription it names. `listed` says whether the venue lists a symbol; `book` gives
    /// its levels and `lastTrade` its last trade price.
    ///
    /// A symbol with no book but a `derived` value (a spread or crack priced from its legs) is
    /// published as one Index Value entry (MDEntryType 3) that changes as the value does;
    /// `text`, when it gives one, rides in that entry's Text (58) (a signal's direction and
    /// confidence beside its score).
    public mutating func handle(_ request: MarketDataRequest, from session: String, listed: (String) -> Bool,
                                book: (String, Int) -> BookDepth?, lastTrade: (String) -> FIXDecimal?,
                                derived: (String) -> FIXDecimal? = { _ in nil }, text: (String) -> String? = { _ in nil })
        -> Result<[FIXFieldList], MarketDataRequestRejection> {
        let key = Key(session: session, requestID: request.id)
        switch request.kind {
        case .unsubscribe:
            guard subscriptions.removeValue(forKey: key) != nil else {
                return .failure(MarketDataRequestRejection(requestID: request.id, reason: nil,
                                                           text: "no subscription \(request.id) to end"))
            }
            return .success([])
        case .snapshot, .subscribe:
            if request.kind == .subscribe, subscriptions[key] != nil {
                return .failure(MarketDataRequestRejection(requestID: request.id, reason: .duplicateMDReqID,
                                                           text: "MDReqID \(request.id) is already subscribed on this session"))
            }
            if let unknown = request.symbols.first(where: { !listed($0) }) {
                return .failure(MarketDataRequestRejection(requestID: request.id, reason: .unknownSymbol,
                                                           text: "\(unknown) is not listed on this venue"))
            }
            var subscription = Subscription(request: request)
            var snapshots: [FIXFieldList] = []
            for symbol in request.symbols {
                guard let depth = book(symbol, subscription.levels) else {
                    let value = derived(symbol)
                    if let value { subscription.values[symbol] = value }
                    snapshots.append(Self.valueSnapshot(request, symbol: symbol, value: value, text: value == nil ? nil : text(symbol)))
                    continue
                }
                subscription.published[symbol] = depth
                snapshots.append(Self.snapshot(request, symbol: symbol, depth: depth, lastTrade: lastTrade(symbol)))
            }
            if request.kind == .subscribe { subscriptions[key] = subscription }
            return .success(snapshots)
        }
    }

    /// Drops a session's subscriptions (it logged out or dropped).
    public mutating func sessionEnded(_ session: String) {
        subscriptions = subscriptions.filter { $0.key.session != session }
    }

    /// What changed since the last call, for every subscriber: one incremental refresh per
    /// subscription with its level changes and trades, or a snapshot per changed book. With
    /// `only`, just those symbols are looked at (the caller knows nothing else moved).
    public mutating func publish(book: (String, Int) -> BookDepth?, trades: [TradePrint],
                                 lastTrade: (String) -> FIXDecimal?, derived: (String) -> FIXDecimal? = { _ in nil },
                                 text: (String) -> String? = { _ in nil }, only: Set<String>? = nil) -> [Outbound] {
        var out: [Outbound] = []
        let tradesBySymbol = Dictionary(grouping: trades, by: \.symbol)
        for key in subscriptions.keys.sorted(by: { ($0.session, $0.requestID) < ($1.session, $1.requestID) }) {
            guard var subscription = subscriptions[key] else { continue }
            let request = subscription.request
            var entries: [FIXFieldList] = []
            for symbol in request.symbols where only?.contains(symbol) ?? true {
                guard let depth = book(symbol, subscription.levels) else {
                    guard let value = derived(symbol), value != subscription.values[symbol] else { continue }
                    let action: StaticString = subscription.values[symbol] == nil ? "0" : "1"
                    subscription.values[symbol] = value
                    if request.incremental {
                        var entry = FIXFieldList(reservingCapacity: 40)
                        entry.append(FIXTag.mdUpdateAction, action)
                        entry.append(FIXTag.mdEntryType, char: MDEntryType.indexValue.rawValue.fixByte)
                        entry.append(FIXTag.symbol, symbol)
                        entry.append(FIXTag.mdEntryPx, value)
                        if let text = text(symbol) { entry.append(FIXTag.text, text) }
                        entries.append(entry)
                    } else {
                        out.append(Outbound(session: key.session, msgType: MsgType.marketDataSnapshotFullRefresh.rawValue,
                                            body: Self.valueSnapshot(request, symbol: symbol, value: value, text: text(symbol))))
                    }
                    continue
                }
                let before = subscription.published[symbol] ?? BookDepth.empty
                let traded = request.entryTypes.contains(.trade) ? tradesBySymbol[symbol] ?? [] : []
                let changed = Self.visible(before, request) != Self.visible(depth, request)
                subscription.published[symbol] = depth
                guard changed || !traded.isEmpty else { continue }
                if request.incremental {
                    if request.entryTypes.contains(.bid) {
                        entries += Self.changes(from: before.bids, to: depth.bids, type: .bid, symbol: symbol)
                    }
                    if request.entryTypes.contains(.offer) {
                        entries += Self.changes(from: before.asks, to: depth.asks, type: .offer, symbol: symbol)
                    }
                    for trade in traded { entries.append(Self.tradeEntry(trade)) }
                } else {
                    out.append(Outbound(session: key.session, msgType: MsgType.marketDataSnapshotFullRefresh.rawValue,
                                        body: Self.snapshot(request, symbol: symbol, depth: depth, lastTrade: lastTrade(symbol))))
                }
            }
            subscriptions[key] = subscription
            if !entries.isEmpty {
                var body = FIXFieldList(reservingCapacity: 64 + entries.count * 40)
                body.append(FIXTag.mdReqID, request.id)
                body.appendGroup(FIXTag.noMDEntries, entries)
                out.append(Outbound(session: key.session, msgType: MsgType.marketDataIncrementalRefresh.rawValue, body: body))
            }
        }
        return out
    }

    /// The sides a subscriber sees, for deciding whether anything it sees changed.
    private static func visible(_ depth: BookDepth, _ request: MarketDataRequest) -> BookDepth {
        BookDepth(bids: request.entryTypes.contains(.bid) ? depth.bids : [],
                   asks: request.entryTypes.contains(.offer) ? depth.asks : [])
    }

    /// Level changes of one side keyed by price: deletes, then changes, then new levels.
    /// Both sides come best first (bids falling, offers rising), so one merge walk pairs the
    /// levels by price without a lookup table.
    static func changes(from old: [BookDepth.Level], to new: [BookDepth.Level], type: MarketDataRequest.EntryType,
                        symbol: String) -> [FIXFieldList] {
        let falling = type == .bid
        var deletes: [FIXFieldList] = []
        var changes: [FIXFieldList] = []
        var additions: [FIXFieldList] = []
        var i = 0
        var j = 0
        while i < old.count || j < new.count {
            if j == new.count || (i < old.count && (falling ? old[i].price > new[j].price : old[i].price < new[j].price)) {
                deletes.append(levelEntry(action: "2", type: type, symbol: symbol, level: old[i], withSize: false))
                i += 1
            } else if i == old.count || old[i].price != new[j].price {
                additions.append(levelEntry(action: "0", type: type, symbol: symbol, level: new[j], withSize: true))
                j += 1
            } else {
                if old[i] != new[j] { changes.append(levelEntry(action: "1", type: type, symbol: symbol, level: new[j], withSize: true)) }
                i += 1
                j += 1
            }
        }
        return deletes + changes + additions
    }

    private static func levelEntry(action: StaticString, type: MarketDataRequest.EntryType, symbol: String, level: BookDepth.Level,
                                   withSize: Bool) -> FIXFieldList {
        var entry = FIXFieldList(reservingCapacity: 48)
        entry.append(FIXTag.mdUpdateAction, action)
        entry.append(FIXTag.mdEntryType, char: type.rawValue.fixByte)
        entry.append(FIXTag.symbol, symbol)
        entry.append(FIXTag.mdEntryPx, level.price)
        if withSize {
            entry.append(FIXTag.mdEntrySize, FIXDecimal(mantissa: level.quantity))
            entry.append(FIXTag.numberOfOrders, level.orderCount)
        }
        return entry
    }

    private static func tradeEntry(_ trade: TradePrint) -> FIXFieldList {
        var entry = FIXFieldList(reservingCapacity: 48)
        entry.append(FIXTag.mdUpdateAction, "0")
        entry.append(FIXTag.mdEntryType, char: MDEntryType.trade.rawValue.fixByte)
        entry.append(FIXTag.symbol, trade.symbol)
        entry.append(FIXTag.mdEntryPx, trade.price)
        entry.append(FIXTag.mdEntrySize, FIXDecimal(mantissa: trade.quantity))
        return entry
    }

    /// A snapshot of a derived instrument: its value as one Index Value entry (none while a leg
    /// has no price).
    static func valueSnapshot(_ request: MarketDataRequest, symbol: String, value: FIXDecimal?, text: String? = nil) -> FIXFieldList {
        var entries: [FIXFieldList] = []
        if let value {
            var entry = FIXFieldList(reservingCapacity: 24)
            entry.append(FIXTag.mdEntryType, char: MDEntryType.indexValue.rawValue.fixByte)
            entry.append(FIXTag.mdEntryPx, value)
            if let text { entry.append(FIXTag.text, text) }
            entries.append(entry)
        }
        var body = FIXFieldList(reservingCapacity: 64)
        body.append(FIXTag.mdReqID, request.id)
        body.append(FIXTag.symbol, symbol)
        body.appendGroup(FIXTag.noMDEntries, entries)
        return body
    }

    /// A MarketDataSnapshotFullRefresh (35=W) body for one symbol.
    static func snapshot(_ request: MarketDataRequest, symbol: String, depth: BookDepth, lastTrade: FIXDecimal?) -> FIXFieldList {
        var entries: [FIXFieldList] = []
        func add(_ levels: [BookDepth.Level], _ type: MarketDataRequest.EntryType) {
            guard request.entryTypes.contains(type) else { return }
            for (position, level) in levels.enumerated() {
                var entry = FIXFieldList(reservingCapacity: 48)
                entry.append(FIXTag.mdEntryType, char: type.rawValue.fixByte)
                entry.append(FIXTag.mdEntryPx, level.price)
                entry.append(FIXTag.mdEntrySize, FIXDecimal(mantissa: level.quantity))
                entry.append(FIXTag.numberOfOrders, level.orderCount)
                entry.append(FIXTag.mdEntryPositionNo, position + 1)
                entries.append(entry)
            }
        }
        add(depth.bids, .bid)
        add(depth.asks, .offer)
        if request.entryTypes.contains(.trade), let lastTrade {
            var entry = FIXFieldList(reservingCapacity: 24)
            entry.append(FIXTag.mdEntryType, char: MDEntryType.trade.rawValue.fixByte)
            entry.append(FIXTag.mdEntryPx, lastTrade)
            entries.append(entry)
        }
        var body = FIXFieldList(reservingCapacity: 64 + entries.count * 40)
        body.append(FIXTag.mdReqID, request.id)
        body.append(FIXTag.symbol, symbol)
        body.appendGroup(FIXTag.noMDEntries, entries)
        return body
    }
}
