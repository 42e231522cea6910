@testable import JournalAudit
import Testing
import TestSupport
import FIXJournal
