import FIXCodec
import FIXDictionary
import FIXJournal

/// The journal read for compliance (filled in by the audit search).
public struct AuditTrail: Sendable {
    public let journal: Journal
    public let dictionary: FIXDataDictionary?

    public init(journal: Journal, dictionary: FIXDataDictionary?) {
        self.journal = journal
        self.dictionary = dictionary
    }
}
