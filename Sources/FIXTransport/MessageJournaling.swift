import FIXVocabulary

/// Which of a session's messages the journal keeps whole.
///
/// Every message is numbered and its sequence number journaled before it leaves or after it
/// is read, whatever this says: only the message's own row is left out. A ResendRequest for
/// a number whose message was not kept is answered with a gap fill, as QuickFIX does for
/// messages it was told not to persist: a stale market-data increment is worse than none.
public struct MessageJournaling: Sendable, Hashable {
    /// Message types counted but not kept.
    public var unstored: Set<MsgType>

    public init(unstored: Set<MsgType> = []) {
        self.unstored = unstored
    }

    /// Every message kept whole: the audit trail of an order session.
    public static let everything = MessageJournaling()

    /// Market data refreshes (snapshots W and increments X) counted but not kept: at a venue's
    /// rate they would be nearly all of the journal. Requests (V) and rejects (Y) are kept.
    public static let withoutMarketDataRefreshes = MessageJournaling(unstored: [.marketDataSnapshotFullRefresh,
                                                                              .marketDataIncrementalRefresh])

    /// Whether a message of `msgType` is kept whole.
    public func stores(_ msgType: String) -> Bool {
        guard !unstored.isEmpty, let type = MsgType(rawValue: msgType) else { return true }
        return !unstored.contains(type)
    }
}
