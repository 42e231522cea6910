import FIXCodec
import Instruments
import MarketData
import MarketDataFeed
import SimulatedVenue
import Synchronization

/// Market data for the gateway's OMS clients, by MarketDataRequest: the simulated venue's
/// books, published as the venue simulator publishes them (snapshot, then incremental
/// refreshes), and the spreads, cracks and Brent−WTI that the market-data normalizer prices
/// live from those books, for instruments with no book of their own.
final class GatewayMarketData: Sendable {
    private struct State {
        var publisher = MarketDataPublisher()
        var normalizer: MarketDataNormalizer
        /// The normalizer's sequence: every refresh is a snapshot of each book, numbered on.
        var sequence: UInt64 = 0
        var events: [MarketDataEvent] = []
        /// Whether this service turned the venue's trade tape on (at the first subscription);
        /// from then on it drains the tape on every publish, subscribers or not.
        var recording = false
    }

    private let state: Mutex<State>
    /// Levels a side fed to the normalizer for leg prices.
    static let feedDepth = 5

    init(catalog: InstrumentCatalog) {
        state = Mutex(State(normalizer: MarketDataNormalizer(catalog: catalog)))
    }

    /// Answers a MarketDataRequest from an OMS session: snapshots (W), or the reason it is
    /// refused (Y).
    func handle(_ message: FIXMessage, from session: String, gateway: OrderGateway, now: Int64) -> [(msgType: String, body: FIXFieldList)] {
        let request: MarketDataRequest
        switch MarketDataRequest.parse(message) {
        case .success(let parsed): request = parsed
        case .failure(let rejection): return [("Y", rejection.body)]
        }
        return state.withLock { state in
            if !state.recording {
                gateway.recordTrades()
                state.recording = true
            }
            refresh(&state, gateway: gateway, now: now)
            let normalizer = state.normalizer
            let catalog = gateway.catalog
            let result = state.publisher.handle(
                request, from: session,
                listed: { catalog.instrument(symbol: $0) != nil || normalizer.derivedID(symbol: $0) != nil },
                book: { gateway.depth(symbol: $0, levels: $1) }, lastTrade: { gateway.lastTradePrice(symbol: $0) },
                derived: { normalizer.derivedID(symbol: $0).flatMap(normalizer.derivedPrice) })
            switch result {
            case .success(let snapshots): return snapshots.map { ("W", $0) }
            case .failure(let rejection): return [("Y", rejection.body)]
            }
        }
    }

    /// What moved since the last call, for every subscriber. Trades are the venue's tape.
    func publish(gateway: OrderGateway, now: Int64) -> [MarketDataPublisher.Outbound] {
        state.withLock { state in
            guard state.recording else { return [] }
            let trades = gateway.drainTrades()
            guard state.publisher.subscriptionCount > 0 else { return [] }
            refresh(&state, gateway: gateway, now: now)
            let normalizer = state.normalizer
            return state.publisher.publish(book: { gateway.depth(symbol: $0, levels: $1) }, trades: trades,
                                           lastTrade: { gateway.lastTradePrice(symbol: $0) },
                                           derived: { normalizer.derivedID(symbol: $0).flatMap(normalizer.derivedPrice) })
        }
    }

    func sessionEnded(_ session: String) {
        state.withLock { $0.publisher.sessionEnded(session) }
    }

    /// Feeds the normalizer a snapshot of every book the venue lists, so derived prices follow
    /// the market.
    private func refresh(_ state: inout State, gateway: OrderGateway, now: Int64) {
        for book in state.normalizer.bookIDs {
            let symbol = state.normalizer.symbol(book)
            guard let depth = gateway.depth(symbol: symbol, levels: Self.feedDepth) else { continue }
            // Read through `state` itself: a local copy of the normalizer alive across the
            // apply below would make the apply copy every book.
            var sides: [[SnapshotLevel]] = [[], []]
            for (index, levels) in [depth.bids, depth.asks].enumerated() {
                for level in levels {
                    guard let ticks = try? state.normalizer.ticks(for: level.price, book: book) else { continue }
                    sides[index].append(SnapshotLevel(price: ticks, size: level.quantity, orderCount: Int32(clamping: level.orderCount)))
                }
            }
            state.sequence += 1
            let snapshot = BookSnapshot(book: book, sequence: state.sequence, time: now, bids: sides[0], asks: sides[1])
            try? state.normalizer.apply(snapshot, into: &state.events)
        }
        state.events.removeAll(keepingCapacity: true)
    }
}
