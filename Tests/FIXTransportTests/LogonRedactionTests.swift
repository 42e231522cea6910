@testable import FIXTransport
import Testing
import TestSupport

@Suite struct LogonRedactionTests {
    @Test func aLogonPasswordIsJournaledAsAsterisksOfTheSameLength() {
        let logon = FIXText.message("35=A|34=1|49=OMS1|52=20261206-10:00:00.000|56=WELLHEAD|98=0|108=30|553=desk1|554=s3cret!|")
        let redacted = LogonRedaction.redacted(logon)
        #expect(redacted.count == logon.count)
        let text = FIXText.show(redacted)
        #expect(text.contains("|553=desk1|554=*******|"))
        #expect(!text.contains("s3cret"))
    }

    @Test func aLogonWithoutAPasswordIsUnchanged() {
        let logon = FIXText.message("35=A|34=1|49=OMS1|52=20261206-10:00:00.000|56=WELLHEAD|98=0|108=30|")
        #expect(LogonRedaction.redacted(logon) == logon)
    }
}
