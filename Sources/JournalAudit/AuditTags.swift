/// FIX 4.4's numbers for the fields that tie an order's messages together, by name
/// (FIXVocabulary's `FIXTag` names them for the gateway; this module reads the journal
/// without the gateway's vocabulary).
enum AuditTag {
    static let account = 1
    static let clOrdID = 11
    static let execID = 17
    static let orderID = 37
    static let ordStatus = 39
    static let origClOrdID = 41
}
