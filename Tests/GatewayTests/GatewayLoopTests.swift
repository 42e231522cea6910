import FIXCodec
import FIXJournal
import FIXSession
import FIXTransport
@testable import Gateway
import NIOPosix
import Testing
import TestSupport

/// The gateway's state has one owner, its application's event loop. Over a real loopback
/// socket with a real journal: a session on that loop (as `wellhead serve` runs every session)
/// reaches the gateway with no hand-off; a session on another loop is handed over, and its
/// answers, a BusinessMessageReject included, come back through the session as they would
/// have from its own callback. The gateway traps if touched anywhere but its loop.
@Suite struct GatewayLoopTests {
    @Test(arguments: [true, false])
    func anOrderReachesTheGatewayOnItsLoopFromASessionOnThatLoopOrAnother(sessionsOnTheGatewaysLoop: Bool) async throws {
        let harness = try GatewayHarness()
        let price = harness.price(offsetTicks: -40)
        let gatewayLoop = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let otherLoops = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let journal = try Journal(path: harness.directory.path("journal.sqlite"))
        let application = GatewayApplication(gateway: harness.gateway, journal: journal, loop: gatewayLoop.next(),
                                             clock: { GatewayHarness.start })
        let endpoint = try SessionEndpoint(
            configuration: SessionConfiguration(id: SessionID(beginString: "FIX.4.4", senderCompID: "WELLHEAD", targetCompID: "OMS1"),
                                                role: .acceptor, dictionary: TestDictionaries.fix44, heartBtInt: 30),
            application: application, journal: journal)
        application.attach(endpoint)
        let engine = FIXEngine(group: sessionsOnTheGatewaysLoop ? gatewayLoop.next() : otherLoops)
        let port = try await engine.listen(host: "127.0.0.1", port: 0, registry: SessionRegistry([endpoint]))

        let oms = Counterparty()
        let client = try RawFIXClient(port: port)
        try client.send(oms.logon(at: TestClock.wall()))
        #expect(client.receive()?.msgType == "A")
        try client.send(oms.message("D", seq: 2, at: TestClock.wall(),
                                    "11=L1|55=CLF7|54=1|38=1|40=2|44=\(price)|59=0|60=\(TestClock.wall())|"))
        let pendingNew = try #require(client.receive())
        let new = try #require(client.receive())
        #expect([pendingNew, new].map { $0[150]?.string } == ["A", "0"])
        #expect(new[11]?.string == "L1" && new[1]?.string == "DESK1" && new.msgSeqNum == 3)

        try client.send(oms.message("8", seq: 3, at: TestClock.wall(), "37=1|17=1|150=0|39=0|55=CLF7|54=1|151=0|14=0|6=0|"))
        let reject = try #require(client.receive())
        #expect(reject.msgType == "j" && reject[380]?.int == 3 && reject[45]?.int == 3)

        let working = try await application.onLoop { gateway in gateway.orders().map(\.status) }
        #expect(working == [.new])
        await engine.shutdown()
        journal.close()
        try await otherLoops.shutdownGracefully()
        try await gatewayLoop.shutdownGracefully()
    }
}
