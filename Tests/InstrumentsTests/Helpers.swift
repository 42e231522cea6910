import FIXCodec
import Instruments
import Testing

/// A date from `YYYY-MM-DD`, failing the test if the text is not one.
func day(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> CalendarDate {
    try #require(CalendarDate(iso: text), "not a date: \(text)", sourceLocation: sourceLocation)
}

/// A decimal from its text, failing the test if the text is not one.
func dec(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> FIXDecimal {
    try #require(FIXDecimal(text), "not a decimal: \(text)", sourceLocation: sourceLocation)
}

func month(_ year: Int, _ month: Int, sourceLocation: SourceLocation = #_sourceLocation) throws -> ContractMonth {
    try #require(ContractMonth(year: year, month: month), sourceLocation: sourceLocation)
}
