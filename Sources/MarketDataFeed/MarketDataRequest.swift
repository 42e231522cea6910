import FIXCodec
import FIXVocabulary

/// What a subscriber asked for in a MarketDataRequest (35=V).
public struct MarketDataRequest: Sendable, Hashable {
    /// SubscriptionRequestType (263).
    public enum Kind: Sendable, Hashable {
        case snapshot
        case subscribe
        case unsubscribe
    }

    /// MDEntryType (269) values a venue publishes: bid, offer, trade, index value.
    public typealias EntryType = MDEntryType

    /// MDReqID (262).
    public var id: String
    public var kind: Kind
    /// MarketDepth (264): price levels a side; 0 asks for the full book.
    public var depth: Int
    /// MDUpdateType (265): incremental refreshes (X) rather than a full refresh (W) on each change.
    public var incremental: Bool
    public var entryTypes: Set<EntryType>
    public var symbols: [String]

    public init(id: String, kind: Kind, depth: Int, incremental: Bool = true, entryTypes: Set<EntryType>, symbols: [String]) {
        self.id = id
        self.kind = kind
        self.depth = depth
        self.incremental = incremental
        self.entryTypes = entryTypes
        self.symbols = symbols
    }

    /// Reads a MarketDataRequest, or says why it cannot be served (a MarketDataRequestReject).
    public static func parse(_ message: FIXMessage) -> Result<MarketDataRequest, MarketDataRequestRejection> {
        let id = message[FIXTag.mdReqID]?.string ?? ""
        func reject(_ reason: MarketDataRequestRejection.Reason?, _ text: String) -> Result<MarketDataRequest, MarketDataRequestRejection> {
            .failure(MarketDataRequestRejection(requestID: id, reason: reason, text: text))
        }
        guard !id.isEmpty else { return reject(nil, "MDReqID (262) is missing") }
        let kind: Kind
        switch message[SubscriptionRequestType.self] {
        case .snapshot: kind = .snapshot
        case .snapshotPlusUpdates: kind = .subscribe
        case .disablePreviousSnapshotPlusUpdateRequest: kind = .unsubscribe
        case nil:
            let other = message[FIXTag.subscriptionRequestType]?.string ?? ""
            return reject(.unsupportedSubscriptionRequestType, "SubscriptionRequestType (263) '\(other)' is not 0, 1 or 2")
        }
        guard let depth = message[FIXTag.marketDepth]?.int, depth >= 0 else {
            return reject(.unsupportedMarketDepth, "MarketDepth (264) '\(message[FIXTag.marketDepth]?.string ?? "")' is not a number of levels (0 for the full book)")
        }
        let incremental: Bool
        switch (message[MDUpdateType.self], message[FIXTag.mdUpdateType]) {
        case (.incrementalRefresh, _), (nil, nil): incremental = true
        case (.fullRefresh, _): incremental = false
        case (nil, let other?): return reject(.unsupportedMDUpdateType, "MDUpdateType (265) '\(other.string)' is not 0 or 1")
        }
        if message[FIXTag.aggregatedBook]?.string == "N" {
            return reject(.unsupportedAggregatedBook, "the venue publishes aggregated books only (AggregatedBook 266=Y)")
        }
        var entryTypes: Set<EntryType> = []
        for value in message.values(of: FIXTag.mdEntryType) {
            guard let type = EntryType(rawValue: value.string), type != .settlementPrice else {
                return reject(.unsupportedMDEntryType, "MDEntryType (269) '\(value.string)' is not published here (0 bid, 1 offer, 2 trade, 3 index value)")
            }
            entryTypes.insert(type)
        }
        let symbols = message.values(of: FIXTag.symbol).map(\.string)
        if kind != .unsubscribe {
            guard !entryTypes.isEmpty else { return reject(.unsupportedMDEntryType, "no MDEntryType (269) asked for") }
            guard !symbols.isEmpty else { return reject(.unknownSymbol, "no Symbol (55) asked for") }
        }
        return .success(MarketDataRequest(id: id, kind: kind, depth: depth, incremental: incremental,
                                          entryTypes: entryTypes, symbols: symbols))
    }
}

/// Why a MarketDataRequest is refused: a MarketDataRequestReject (35=Y) with MDReqRejReason
/// (281) and a Text.
public struct MarketDataRequestRejection: Error, Sendable, Hashable {
    /// MDReqRejReason (281).
    public enum Reason: String, Sendable, Hashable {
        case unknownSymbol = "0"
        case duplicateMDReqID = "1"
        case unsupportedSubscriptionRequestType = "4"
        case unsupportedMarketDepth = "5"
        case unsupportedMDUpdateType = "6"
        case unsupportedAggregatedBook = "7"
        case unsupportedMDEntryType = "8"
    }

    public var requestID: String
    /// `nil` when no MDReqRejReason fits (281 is then left out; the Text says why).
    public var reason: Reason?
    public var text: String

    /// The MarketDataRequestReject's body.
    public var body: FIXFieldList {
        var body = FIXFieldList(reservingCapacity: 96)
        body.append(FIXTag.mdReqID, requestID)
        if let reason { body.append(FIXTag.mdReqRejReason, reason.rawValue) }
        body.append(FIXTag.text, text)
        return body
    }
}
