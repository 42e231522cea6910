import FIXCodec
import Instruments

// Derived instruments priced live from their legs' books.

extension MarketDataNormalizer {
    /// The price a book contributes as a leg, by ``MarketDataConfiguration/LegPrice``: the
    /// exact mid (half a tick when the touch is an odd number of ticks wide) or the last trade.
    /// `nil` for a recovering book, and for a mid on a one-sided or crossed book.
    public func legPrice(_ book: BookID) -> FIXDecimal? {
        legPrice(book.index)
    }

    func legPrice(_ index: Int) -> FIXDecimal? {
        // Fields read in place: copying the book would retain each of its arrays.
        guard books[index].recovery == nil else { return nil }
        switch configuration.legPrice {
        case .mid: return mid(index)
        case .last: return last(index)
        case .midThenLast: return mid(index) ?? last(index)
        }
    }

    private func last(_ index: Int) -> FIXDecimal? {
        guard let trade = books[index].lastTrade?.price else { return nil }
        return books[index].grid.price(ticks: trade)
    }

    /// The mid of a two-sided, uncrossed book: `(bid + ask) / 2` ticks, exact at one more
    /// decimal than the tick (`× 5`, scale + 1).
    private func mid(_ index: Int) -> FIXDecimal? {
        guard !books[index].crossed, let bid = books[index].bids.bestPrice, let ask = books[index].asks.bestPrice else {
            return nil
        }
        let tick = books[index].grid.tickSize
        let (sum, sumOverflow) = bid.addingReportingOverflow(ask)
        let (scaled, overflow) = sum.multipliedReportingOverflow(by: tick.mantissa &* 5)
        guard !sumOverflow, !overflow, tick.scale < FIXDecimal.maxScale else { return nil }
        return FIXDecimal(mantissa: scaled, scale: tick.scale + 1).normalized
    }

    /// The live price of a derived instrument, `nil` while a leg has none.
    public func derivedPrice(_ id: DerivedID) -> FIXDecimal? { derivedPrices[id.index] }

    /// Reprices the derived instruments a book is a leg of, emitting those whose price changed.
    mutating func updateDerived(ofBook index: Int, into events: inout [MarketDataEvent]) {
        let list = dependents[index]
        guard !list.isEmpty else { return }
        for raw in list {
            let derived = Int(raw)
            let price = computeDerived(derived)
            if price != derivedPrices[derived] {
                derivedPrices[derived] = price
                events.append(.derived(DerivedPrice(derived: DerivedID(rawValue: raw), price: price)))
            }
        }
    }

    private mutating func computeDerived(_ derived: Int) -> FIXDecimal? {
        legScratch.removeAll(keepingCapacity: true)
        for leg in derivedInstruments[derived].legs {
            guard let price = legPrice(leg.index) else { return nil }
            legScratch.append(price)
        }
        return derivedInstruments[derived].price(legPrices: legScratch)
    }
}
