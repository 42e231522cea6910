import FIXCodec
import FIXVocabulary
import Instruments
import OrderEntry

/// The venue's instruments as FIX reference data: a SecurityList (35=y) answering a
/// SecurityListRequest (35=x), and a SecurityDefinition (35=d) answering a
/// SecurityDefinitionRequest (35=c).
enum SecurityDefinitions {
    /// The Instrument component of one listed instrument, in the dictionary's field order:
    /// Symbol, SecurityType (FUT, or MLEG for spreads and cracks), MaturityMonthYear,
    /// MaturityDate (the last trade date), ContractMultiplier, SecurityExchange, SecurityDesc.
    static func instrument(_ instrument: Instrument, symbols: VenueDialect) -> FIXFieldList {
        var fields = FIXFieldList(reservingCapacity: 128)
        fields.append(FIXTag.symbol, symbols.venueSymbol(instrument.symbol))
        fields.append(FIXTag.securityType, instrument.isSpread ? "MLEG" : "FUT")
        fields.append(FIXTag.maturityMonthYear, FIXMonthYear(year: instrument.month.year, month: instrument.month.month))
        let last = instrument.lastTradeDate
        fields.append(FIXTag.maturityDate, FIXDate(year: last.year, month: last.month, day: last.day))
        fields.append(FIXTag.contractMultiplier, instrument.multiplier)
        fields.append(FIXTag.securityExchange, instrument.exchange)
        fields.append(FIXTag.securityDesc, "\(instrument.name), tick \(instrument.tickSize) \(instrument.priceUnit)")
        return fields
    }

    /// A SecurityList of `instruments` answering SecurityReqID `requestID`; an empty list says
    /// no instrument matched (SecurityRequestResult 2).
    static func list(_ instruments: [Instrument], requestID: String, responseID: String, symbols: VenueDialect) -> FIXFieldList {
        var body = FIXFieldList(reservingCapacity: 96 + instruments.count * 140)
        body.append(FIXTag.securityReqID, requestID)
        body.append(FIXTag.securityResponseID, responseID)
        body.append(FIXTag.securityRequestResult, instruments.isEmpty ? 2 : 0)
        body.append(FIXTag.totNoRelatedSym, instruments.count)
        body.append(FIXTag.lastFragment, "Y")
        body.appendGroup(FIXTag.noRelatedSym, instruments.map { listed in
            var entry = instrument(listed, symbols: symbols)
            entry.append(FIXTag.currency, listed.currency)
            return entry
        })
        return body
    }

    /// A SecurityDefinition for `instrument` (SecurityResponseType 1, accepted as asked), or
    /// one rejecting the request (5) with a Text when nothing is listed under that Symbol.
    /// Symbols are written as `symbols` names them; `symbol` is the request's, as sent.
    static func definition(_ listed: Instrument?, symbol: String, requestID: String, responseID: String,
                           symbols: VenueDialect) -> FIXFieldList {
        var body = FIXFieldList(reservingCapacity: 256)
        body.append(FIXTag.securityReqID, requestID)
        body.append(FIXTag.securityResponseID, responseID)
        if let listed {
            body.append(FIXTag.securityResponseType, 1)
            body.append(contentsOf: instrument(listed, symbols: symbols))
            body.append(FIXTag.currency, listed.currency)
        } else {
            body.append(FIXTag.securityResponseType, 5)
            body.append(FIXTag.symbol, symbol)
            body.append(FIXTag.text, "\(symbol) is not listed on this venue")
        }
        return body
    }
}
