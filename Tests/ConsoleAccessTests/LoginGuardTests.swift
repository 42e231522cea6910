import ConsoleAccess
import Testing

@Suite struct LoginGuardTests {
    static let minute = Fixtures.minute
    static let start = Fixtures.start

    @Test func fiveWrongPasswordsLockTheNameForFifteenMinutes() {
        var guardian = LoginGuard()
        var now = Self.start
        for attempt in 1...4 {
            #expect(guardian.admit(user: "alice", now: now) == .allowed)
            #expect(guardian.failed(user: "alice", now: now) == nil, "attempt \(attempt) locks nothing yet")
            now += 1_000_000_000
        }
        #expect(guardian.admit(user: "alice", now: now) == .allowed)
        let event = guardian.failed(user: "alice", now: now)
        let until = now + 15 * Self.minute
        #expect(event == LockoutEvent(user: "alice", failures: 5, until: until))
        #expect(guardian.admit(user: "alice", now: now) == .locked(until: until))
        #expect(guardian.admit(user: "alice", now: until - Self.minute / 60) == .locked(until: until), "still locked at 14m59s")
        #expect(guardian.failed(user: "alice", now: until - 1) == nil, "a try while locked begins no second lock-out")
        #expect(guardian.admit(user: "alice", now: until) == .allowed, "open at 15m")
        #expect(guardian.failures(of: "alice") == 0)
        #expect(guardian.admit(user: "bob", now: now) == .allowed, "another name is not locked")
    }

    @Test func aNameThatIsNoUserIsCountedTheSame() {
        var guardian = LoginGuard()
        var events: [LockoutEvent] = []
        for _ in 1...5 {
            if let event = guardian.failed(user: "nobody-here", now: Self.start) { events.append(event) }
        }
        #expect(events.map(\.user) == ["nobody-here"])
        #expect(guardian.admit(user: "nobody-here", now: Self.start) == .locked(until: Self.start + 15 * Self.minute))
    }

    @Test func aRightPasswordForgetsTheFailures() {
        var guardian = LoginGuard(maxFailures: 3, lockout: Self.minute)
        _ = guardian.failed(user: "alice", now: Self.start)
        _ = guardian.failed(user: "alice", now: Self.start)
        guardian.succeeded(user: "alice")
        #expect(guardian.failed(user: "alice", now: Self.start) == nil)
        #expect(guardian.failed(user: "alice", now: Self.start) == nil)
        #expect(guardian.failed(user: "alice", now: Self.start)?.failures == 3)
    }

    @Test func failuresSpreadFurtherApartThanTheLockOutAreForgotten() {
        var guardian = LoginGuard()
        for attempt in 0..<4 { _ = guardian.failed(user: "alice", now: Self.start + Int64(attempt) * Self.minute) }
        #expect(guardian.failures(of: "alice") == 4)
        let later = Self.start + 3 * Self.minute + 15 * Self.minute
        #expect(guardian.failed(user: "alice", now: later) == nil, "15 quiet minutes start the count again")
        #expect(guardian.failures(of: "alice") == 1)
    }
}
