import OrderEntry

/// The gateway's client orders by OrderID, knowing which are working and which were done
/// most recently, so the console reads those without walking (or sorting) the whole day's.
struct GatewayOrders: Sendable {
    private(set) var byID: [String: ClientOrder] = [:]
    /// OrderIDs of the orders still working.
    private(set) var working: Set<String> = []
    /// OrderIDs of the orders that ended (filled, cancelled, rejected, expired), oldest first:
    /// at least the last ``recentKept``.
    private(set) var recentlyDone: [String] = []
    static let recentKept = 500

    subscript(orderID: String) -> ClientOrder? {
        get { byID[orderID] }
        set {
            guard let order = newValue else {
                byID[orderID] = nil
                working.remove(orderID)
                return
            }
            let previous = byID.updateValue(order, forKey: orderID)
            if order.status.isTerminal {
                working.remove(orderID)
                if previous.map({ !$0.status.isTerminal }) ?? true { recentlyDone.append(orderID) }
                if recentlyDone.count >= 2 * Self.recentKept { recentlyDone.removeFirst(Self.recentKept) }
            } else {
                working.insert(orderID)
            }
        }
    }

    /// The working orders `include` keeps, by OrderID: found through the working index, so a
    /// mass cancel or status late in a busy day does not walk (and copy) every order since the open.
    func working(where include: (ClientOrder) -> Bool) -> [ClientOrder] {
        working.sorted().compactMap { orderID in byID[orderID].flatMap { include($0) ? $0 : nil } }
    }

    var values: Dictionary<String, ClientOrder>.Values { byID.values }
    var keys: Dictionary<String, ClientOrder>.Keys { byID.keys }

    /// Keeps only the working orders (a trading day's end).
    mutating func removeDone() {
        byID = byID.filter { !$0.value.status.isTerminal }
        recentlyDone.removeAll()
    }
}

extension OrderGateway {
    /// The working orders, and the `recent` orders that ended last, newest first: read
    /// without walking the day's orders.
    public func recentOrders(_ recent: Int) -> (working: [ClientOrder], done: [ClientOrder]) {
        let orders = state.orders
        return (orders.working.compactMap { orders[$0] }, orders.recentlyDone.suffix(recent).reversed().compactMap { orders[$0] })
    }
}
