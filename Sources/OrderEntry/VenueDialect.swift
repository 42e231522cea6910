import FIXCodec
import FIXVocabulary

/// How one venue reached over FIX differs from the gateway's own FIX: the symbols it gives the
/// gateway's instruments, and fields it wants on every order request.
///
/// Venues name the same contract differently (ICE lists Brent as `BRN`, where the gateway's
/// catalog says `BZ`), so the gateway translates each symbol on the way out and back in; OMS
/// clients only ever see the gateway's canonical symbols.
public struct VenueDialect: Sendable {
    /// A field added to every NewOrderSingle, OrderCancelRequest and OrderCancelReplaceRequest
    /// sent to the venue (a CME ManualOrderIndicator, an ICE SecurityExchange, a customer
    /// capacity).
    public struct Field: Sendable, Hashable {
        public var tag: Int
        public var value: String

        public init(tag: Int, value: String) {
            self.tag = tag
            self.value = value
        }
    }

    /// Tags the gateway (or the session layer) sets on every order request itself: a venue's
    /// order fields may not name them.
    public static let gatewayOrderTags: Set<Int> = [
        FIXTag.account, FIXTag.beginString, FIXTag.bodyLength, FIXTag.checkSum, FIXTag.clOrdID, FIXTag.msgSeqNum, FIXTag.msgType,
        FIXTag.orderID, FIXTag.orderQty, FIXTag.ordType, FIXTag.origClOrdID, FIXTag.possDupFlag, FIXTag.price, FIXTag.senderCompID,
        FIXTag.sendingTime, FIXTag.side, FIXTag.symbol, FIXTag.targetCompID, FIXTag.timeInForce, FIXTag.transactTime,
        FIXTag.possResend, FIXTag.stopPx, FIXTag.origSendingTime, FIXTag.expireTime,
    ]

    /// The venue's root for each gateway root it names differently (`BZ` → `BRN`).
    public let roots: [String: String]
    public let orderFields: [Field]
    /// `roots` as pairs, and reversed, longest root first: `HO` must be tried before `H`.
    private let toVenue: [(from: String, to: String)]
    private let toGateway: [(from: String, to: String)]

    public init(roots: [String: String] = [:], orderFields: [Field] = []) {
        self.roots = roots
        self.orderFields = orderFields
        toVenue = roots.map { ($0.key, $0.value) }.sorted { $0.from.count > $1.from.count }
        toGateway = roots.map { ($0.value, $0.key) }.sorted { $0.from.count > $1.from.count }
    }


    /// The venue's symbol for a gateway symbol: each outright in it (a spread's legs too)
    /// with its root translated. Symbols of roots the venue names alike come back unchanged.
    public func venueSymbol(_ symbol: String) -> String {
        Self.translate(symbol, roots: toVenue)
    }

    /// The gateway's symbol for a venue's.
    public func canonicalSymbol(_ venueSymbol: String) -> String {
        Self.translate(venueSymbol, roots: toGateway)
    }

    /// Venue symbol to gateway symbol for every gateway symbol the venue names differently:
    /// a lookup table for reading the venue's market data without parsing symbols.
    public func aliases(of symbols: [String]) -> [String: String] {
        var table: [String: String] = [:]
        for symbol in symbols {
            let venue = venueSymbol(symbol)
            if venue != symbol { table[venue] = symbol }
        }
        return table
    }

    private static func translate(_ symbol: String, roots: [(from: String, to: String)]) -> String {
        guard !roots.isEmpty else { return symbol }
        let parts = symbol.split(separator: "-", omittingEmptySubsequences: false).map { part -> Substring in
            // The first (longest) root that leaves a month code and a year.
            for root in roots where part.hasPrefix(root.from) {
                let month = part.dropFirst(root.from.count)
                if let code = month.first, "FGHJKMNQUVXZ".contains(code), month.count > 1, month.dropFirst().allSatisfy(\.isNumber) {
                    return Substring(root.to + month)
                }
            }
            return part
        }
        return parts.joined(separator: "-")
    }
}
