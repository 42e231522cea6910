import FIXCodec
import Instruments

/// The venue's instruments as FIX reference data: a SecurityList (35=y) answering a
/// SecurityListRequest (35=x), and a SecurityDefinition (35=d) answering a
/// SecurityDefinitionRequest (35=c).
enum SecurityDefinitions {
    /// The Instrument component of one listed instrument, in the dictionary's field order:
    /// Symbol, SecurityType (FUT, or MLEG for spreads and cracks), MaturityMonthYear,
    /// MaturityDate (the last trade date), ContractMultiplier, SecurityExchange, SecurityDesc.
    static func instrument(_ instrument: Instrument) -> FIXFieldList {
        var fields = FIXFieldList(reservingCapacity: 128)
        fields.append(55, instrument.symbol)
        fields.append(167, instrument.isSpread ? "MLEG" : "FUT")
        fields.append(200, FIXMonthYear(year: instrument.month.year, month: instrument.month.month))
        let last = instrument.lastTradeDate
        fields.append(541, FIXDate(year: last.year, month: last.month, day: last.day))
        fields.append(231, instrument.multiplier)
        fields.append(207, instrument.exchange)
        fields.append(107, "\(instrument.name), tick \(instrument.tickSize) \(instrument.priceUnit)")
        return fields
    }

    /// A SecurityList of `instruments` answering SecurityReqID `requestID`; an empty list says
    /// no instrument matched (SecurityRequestResult 2).
    static func list(_ instruments: [Instrument], requestID: String, responseID: String) -> FIXFieldList {
        var body = FIXFieldList(reservingCapacity: 96 + instruments.count * 140)
        body.append(320, requestID)
        body.append(322, responseID)
        body.append(560, instruments.isEmpty ? 2 : 0)
        body.append(393, instruments.count)
        body.append(893, "Y")
        body.appendGroup(146, instruments.map { listed in
            var entry = instrument(listed)
            entry.append(15, listed.currency)
            return entry
        })
        return body
    }

    /// A SecurityDefinition for `instrument` (SecurityResponseType 1, accepted as asked), or
    /// one rejecting the request (5) with a Text when nothing is listed under that Symbol.
    static func definition(_ listed: Instrument?, symbol: String, requestID: String, responseID: String) -> FIXFieldList {
        var body = FIXFieldList(reservingCapacity: 256)
        body.append(320, requestID)
        body.append(322, responseID)
        if let listed {
            body.append(323, 1)
            body.append(contentsOf: instrument(listed))
            body.append(15, listed.currency)
        } else {
            body.append(323, 5)
            body.append(55, symbol)
            body.append(58, "\(symbol) is not listed on this venue")
        }
        return body
    }
}
