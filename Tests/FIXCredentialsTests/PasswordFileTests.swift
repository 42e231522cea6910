import FIXCodec
import FIXCredentials
import FIXSession
import Testing
import TestSupport

@Suite struct PasswordFileTests {
    /// One hash for the suite: PBKDF2 is slow on purpose.
    static let hash = try! PasswordHash.make(password: "correct horse", rounds: PasswordHash.minimumRounds)
    static var file: PasswordFile { try! PasswordFile(path: "users.passwd", text: "# desks\ndesk1:\(hash.encoded)\n") }

    @Test func aHashMatchesItsPasswordOnly() {
        #expect(Self.hash.matches("correct horse"))
        #expect(!Self.hash.matches("correct horse "))
        #expect(!Self.hash.matches(""))
    }

    @Test func theFileReadsBackWhatWasWritten() {
        #expect(Self.file.users["desk1"] == Self.hash)
    }

    @Test func mistakesNameTheFileAndLine() {
        #expect(throws: CredentialsError.self) { try PasswordFile(path: "p", text: "desk1:md5:1:2:3") }
        do {
            _ = try PasswordFile(path: "users.passwd", text: "# fine\ndesk1:pbkdf2-sha256:1000:AAAA:BBBB\n")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.hasPrefix("users.passwd:2:"))
            #expect(error.description.contains("rounds"))
        }
    }

    @Test func rightWrongAndMissingCredentials() {
        let authenticator = PasswordFileAuthenticator(file: Self.file, username: "desk1")
        let now = TestClock.start
        #expect(authenticator.verify(username: "desk1", password: "correct horse", now: now) == .accepted)
        guard case .refused(let wrong) = authenticator.verify(username: "desk1", password: "guess", now: now) else {
            Issue.record("a wrong password was accepted")
            return
        }
        #expect(wrong.contains("invalid Username or Password"))
        #expect(!wrong.contains("guess"))
        guard case .refused(let missing) = authenticator.verify(username: nil, password: nil, now: now) else {
            Issue.record("missing credentials were accepted")
            return
        }
        #expect(missing.contains("required"))
        #expect(authenticator.verify(username: "desk2", password: "correct horse", now: now) != .accepted)
    }

    @Test func repeatedFailuresLockTheSessionOutForAWhile() {
        let authenticator = PasswordFileAuthenticator(file: Self.file, username: "desk1", policy: LockoutPolicy(attempts: 3, seconds: 60))
        let now = TestClock.start
        _ = authenticator.verify(username: "desk1", password: "a", now: now)
        _ = authenticator.verify(username: "desk1", password: "b", now: now)
        guard case .refused(let third) = authenticator.verify(username: "desk1", password: "c", now: now) else {
            Issue.record("expected a refusal")
            return
        }
        #expect(third.contains("locked out for 60s"))
        // Locked: even the right password is refused, without being checked.
        guard case .refused(let locked) = authenticator.verify(username: "desk1", password: "correct horse",
                                                              now: TestClock.after(seconds: 30)) else {
            Issue.record("a locked-out session logged on")
            return
        }
        #expect(locked.contains("30s to go"))
        #expect(authenticator.verify(username: "desk1", password: "correct horse", now: TestClock.after(seconds: 61)) == .accepted)
    }
}
