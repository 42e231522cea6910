@testable import ConsoleAccess
import Testing

@Suite struct ConsoleSessionsTests {
    static let minute = Fixtures.minute
    static let start = Fixtures.start
    static let alice = Fixtures.user("alice", .riskManager)
    static let bob = Fixtures.user("bob", .compliance)

    @Test func tokensAre256RandomBitsAndDistinct() {
        var sessions = ConsoleSessions()
        let one = sessions.open(Self.alice, now: Self.start)
        let two = sessions.open(Self.alice, now: Self.start)
        #expect(one.token.count == 43 && one.csrfToken.count == 43, "32 bytes in base64url")
        #expect(Set([one.token, one.csrfToken, two.token, two.csrfToken]).count == 4)
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        #expect(one.token.allSatisfy { alphabet.contains($0) })
        #expect(ConsoleSessions.base64URL([0xfb, 0xff, 0xbf]) == "-_-_" && ConsoleSessions.base64URL([0x66, 0x6f]) == "Zm8")
    }

    @Test func aSessionIdleForTheTimeoutIsGoneAndUseKeepsItAlive() {
        var sessions = ConsoleSessions(idleTimeout: 30 * Self.minute)
        let opened = sessions.open(Self.alice, now: Self.start)
        let used = sessions.session(token: opened.token, now: Self.start + 29 * Self.minute)
        #expect(used?.lastSeen == Self.start + 29 * Self.minute && used?.user == Self.alice)
        #expect(sessions.session(token: opened.token, now: Self.start + 58 * Self.minute) != nil, "29 minutes after the last use")
        #expect(sessions.session(token: opened.token, now: Self.start + 88 * Self.minute) == nil, "30 idle minutes end it")
        #expect(sessions.session(token: opened.token, now: Self.start + 88 * Self.minute) == nil)
        #expect(sessions.signedIn.isEmpty)
        #expect(sessions.session(token: "forged", now: Self.start) == nil)
    }

    @Test func closingSignsOutOneSessionOrEveryOneOfAUser() {
        var sessions = ConsoleSessions()
        let a1 = sessions.open(Self.alice, now: Self.start)
        _ = sessions.open(Self.alice, now: Self.start + 1)
        let b = sessions.open(Self.bob, now: Self.start + 2)
        #expect(sessions.signedIn.count == 3 && sessions.signedInUsers == 2)
        sessions.close(token: a1.token)
        #expect(sessions.session(token: a1.token, now: Self.start) == nil && sessions.signedIn.count == 2)
        sessions.closeAll(user: "alice")
        #expect(sessions.signedIn.map(\.token) == [b.token] && sessions.signedInUsers == 1)
    }

    @Test func theCSRFTokenMustMatchExactly() {
        var sessions = ConsoleSessions()
        let session = sessions.open(Self.alice, now: Self.start)
        let other = sessions.open(Self.bob, now: Self.start)
        #expect(sessions.checksCSRF(session, token: session.csrfToken))
        #expect(!sessions.checksCSRF(session, token: other.csrfToken))
        #expect(!sessions.checksCSRF(session, token: session.token), "the cookie is not the CSRF token")
        #expect(!sessions.checksCSRF(session, token: ""))
        #expect(!sessions.checksCSRF(session, token: String(session.csrfToken.dropLast())))
        #expect(!sessions.checksCSRF(session, token: session.csrfToken + "A"))
    }
}
