// QuickFIX (C++) as an OMS under steady load, for Wellhead's kill-under-load test: sends a
// flow of orders, cancels and replaces at a steady rate for as long as it runs, rides out
// the gateway's disconnects as a desk's QuickFIX does (the initiator reconnects, its FileStore
// keeps the sequence numbers, no reset on logon: what either side missed is resent), records
// every request it sends and every report it receives, and at the end waits for each order to
// reach a final state.
//
//   qf_soak <settings> <record file> <stop file> <seed> <rate per second> <Symbol> <ExDestination>
//           <taking buy price> <taking sell price> <resting bid prices, comma-separated>
//           <resting offer prices, comma-separated> <settle seconds>
//
// Orders (account DESK1): marketable limit orders (IOC, 1 to 3 lots, at the taking prices,
// which cross the market) and resting limit orders (GTC, 1 to 5 lots, at the
// resting prices, far from it); cancels and replaces of resting orders that are working and
// have no change pending. Nothing is sent while not logged on.
//
// Once <stop file> exists it stops sending and waits, up to <settle seconds>, until every
// order has a final state: filled, canceled, rejected or expired, or working (New, Partially
// filled, Replaced) with no request of the OMS unanswered.
//
// The record file (one line each, fields separated by spaces, flushed as written):
//   SEND D <ClOrdID> <Account> <Side> <Qty> <Price> <TimeInForce>
//   SEND F <ClOrdID> <OrigClOrdID> <order>
//   SEND G <ClOrdID> <OrigClOrdID> <order> <Qty> <Price>
//   RECV 8 order=<order> <tag>=<value> ...       an ExecutionReport
//   RECV 9 order=<order> <tag>=<value> ...       an OrderCancelReject
// where <order> is the ClOrdID of the NewOrderSingle that began the order's chain, and Text
// (58), if any, comes last.
//
// Standard output: "LOGON <n>" at each logon, "SENT <n>" every 25 requests, then "STOPPING",
// "UNSETTLED <order> ..." for each order left without a final state, and
//   SUMMARY orders=<n> requests=<n> settled=<n> unsettled=<n> logons=<n>
// Exits 0 (its findings are the test's to judge), 2 on a setup error.
#include <quickfix/Application.h>
#include <quickfix/FileLog.h>
#include <quickfix/FileStore.h>
#include <quickfix/Session.h>
#include <quickfix/SessionSettings.h>
#include <quickfix/SocketInitiator.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

struct Order {
  std::string account;
  std::string side;
  bool resting = false;
  std::string current;   // the ClOrdID the order goes by
  std::string pending;   // a cancel's or replace's ClOrdID, unanswered
  std::string status;    // OrdStatus of the last report; empty before the first
  bool terminal() const { return status == "2" || status == "4" || status == "8" || status == "C" || status == "3"; }
  bool working() const { return status == "0" || status == "1" || status == "5"; }
  bool settled() const { return terminal() || (working() && pending.empty()); }
};

class Soak : public FIX::Application {
public:
  std::mutex lock;
  std::map<std::string, Order> orders;            // by the chain's first ClOrdID
  std::map<std::string, std::string> chainOf;     // every ClOrdID sent, to its chain
  std::vector<std::string> resting;               // resting orders' chains, in order sent
  std::atomic<bool> loggedOn{false};
  std::atomic<int> logons{0};
  FIX::SessionID session;
  FILE* record = nullptr;

  void write(const std::string& line) {
    std::fputs(line.c_str(), record);
    std::fputc('\n', record);
    std::fflush(record);
  }

  void onCreate(const FIX::SessionID&) override {}
  void onLogon(const FIX::SessionID& id) override {
    session = id;
    loggedOn = true;
    std::printf("LOGON %d\n", ++logons);
    std::fflush(stdout);
  }
  void onLogout(const FIX::SessionID&) override { loggedOn = false; }
  void toAdmin(FIX::Message&, const FIX::SessionID&) override {}
  void toApp(FIX::Message&, const FIX::SessionID&) throw(FIX::DoNotSend) override {}
  void fromAdmin(const FIX::Message&, const FIX::SessionID&)
      throw(FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue, FIX::RejectLogon) override {}
  void fromApp(const FIX::Message& message, const FIX::SessionID&)
      throw(FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue, FIX::UnsupportedMessageType) override {
    FIX::MsgType type;
    message.getHeader().getField(type);
    const std::string kind = type.getValue();
    if (kind != "8" && kind != "9") return;
    std::string clOrdID = message.isSetField(11) ? message.getField(11) : "";
    std::string origClOrdID = message.isSetField(41) ? message.getField(41) : "";
    std::lock_guard<std::mutex> guard(lock);
    std::string chain;
    if (chainOf.count(clOrdID)) chain = chainOf[clOrdID];
    else if (chainOf.count(origClOrdID)) chain = chainOf[origClOrdID];
    std::ostringstream line;
    line << "RECV " << kind << " order=" << (chain.empty() ? "?" : chain);
    for (int tag : {11, 41, 37, 17, 150, 39, 54, 1, 38, 44, 14, 151, 32, 31, 434, 102}) {
      if (message.isSetField(tag)) line << " " << tag << "=" << message.getField(tag);
    }
    if (message.getHeader().isSetField(43)) line << " 43=" << message.getHeader().getField(43);
    if (message.isSetField(58)) line << " 58=" << message.getField(58);
    write(line.str());
    if (chain.empty()) return;
    Order& order = orders[chain];
    std::string status = message.isSetField(39) ? message.getField(39) : "";
    if (kind == "9") {
      if (clOrdID == order.pending) order.pending.clear();
      if (!status.empty() && status != "6" && status != "E") order.status = status;
      return;
    }
    std::string execType = message.isSetField(150) ? message.getField(150) : "";
    if (execType == "5" && !clOrdID.empty()) order.current = clOrdID;
    if (clOrdID == order.pending && status != "6" && status != "E") order.pending.clear();
    if (status == "6" || status == "E") return;  // pending cancel or replace: the order's state is as it was
    order.status = status;
    if (order.terminal()) order.pending.clear();
  }
};

static std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> parts;
  std::istringstream in(text);
  for (std::string part; std::getline(in, part, ',');)
    if (!part.empty()) parts.push_back(part);
  return parts;
}

int main(int argc, char** argv) {
  if (argc < 13) {
    std::fprintf(stderr, "usage: qf_soak <settings> <record> <stop> <seed> <rate> <symbol> <exdestination> "
                         "<take buy> <take sell> <bids> <offers> <settle seconds>\n");
    return 2;
  }
  const std::string stopFile = argv[3];
  std::mt19937_64 random(std::strtoull(argv[4], nullptr, 10));
  const double rate = std::atof(argv[5]);
  const std::string symbol = argv[6], destination = argv[7], takeBuy = argv[8], takeSell = argv[9];
  const std::vector<std::string> bids = split(argv[10]), offers = split(argv[11]);
  const int settleSeconds = std::atoi(argv[12]);
  if (bids.empty() || offers.empty() || rate <= 0) {
    std::fprintf(stderr, "qf_soak: no resting prices or no rate\n");
    return 2;
  }
  auto pick = [&](int bound) { return static_cast<int>(random() % static_cast<unsigned long long>(bound)); };
  try {
    FIX::SessionSettings settings(argv[1]);
    Soak soak;
    soak.record = std::fopen(argv[2], "w");
    if (!soak.record) {
      std::fprintf(stderr, "qf_soak: cannot write %s\n", argv[2]);
      return 2;
    }
    FIX::FileStoreFactory store(settings);
    FIX::FileLogFactory log(settings);
    FIX::SocketInitiator initiator(soak, store, settings, log);
    initiator.start();
    long sequence = 0, requests = 0;
    const auto interval = std::chrono::microseconds(static_cast<long>(1e6 / rate));
    auto next = std::chrono::steady_clock::now();
    while (access(stopFile.c_str(), F_OK) != 0) {
      if (!soak.loggedOn) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        next = std::chrono::steady_clock::now();
        continue;
      }
      std::this_thread::sleep_until(next);
      next += interval;
      FIX::Message message;
      std::ostringstream line;
      {
        std::lock_guard<std::mutex> guard(soak.lock);
        // Resting orders that may be changed: working, acknowledged, nothing pending.
        std::vector<std::string> changeable;
        size_t live = 0;
        for (auto& chain : soak.resting) {
          Order& order = soak.orders[chain];
          if (!order.terminal()) live += 1;
          if (order.working() && order.pending.empty()) changeable.push_back(chain);
        }
        int roll = pick(100);
        if (live > 120 && !changeable.empty()) roll = 70 + pick(30);  // keep the book of resting orders small
        std::string clOrdID = "S" + std::to_string(++sequence);
        if (roll < 70 || changeable.empty()) {
          Order order;
          order.resting = roll >= 35;
          order.side = pick(2) == 0 ? "1" : "2";
          order.account = "DESK1";
          order.current = clOrdID;
          std::string price = order.resting ? (order.side == "1" ? bids[pick(bids.size())] : offers[pick(offers.size())])
                                            : (order.side == "1" ? takeBuy : takeSell);
          int quantity = order.resting ? 1 + pick(5) : 1 + pick(3);
          std::string tif = order.resting ? "1" : "3";
          message.getHeader().setField(FIX::MsgType("D"));
          message.setField(11, clOrdID);
          message.setField(1, order.account);
          message.setField(55, symbol);
          message.setField(54, order.side);
          message.setField(38, std::to_string(quantity));
          message.setField(40, "2");
          message.setField(44, price);
          message.setField(59, tif);
          message.setField(100, destination);
          line << "SEND D " << clOrdID << " " << order.account << " " << order.side << " " << quantity << " " << price << " " << tif;
          soak.orders[clOrdID] = order;
          soak.chainOf[clOrdID] = clOrdID;
          if (order.resting) soak.resting.push_back(clOrdID);
        } else {
          const std::string chain = changeable[pick(changeable.size())];
          Order& order = soak.orders[chain];
          bool cancel = roll < 85;
          message.getHeader().setField(FIX::MsgType(cancel ? "F" : "G"));
          message.setField(11, clOrdID);
          message.setField(41, order.current);
          message.setField(1, order.account);
          message.setField(55, symbol);
          message.setField(54, order.side);
          line << "SEND " << (cancel ? "F " : "G ") << clOrdID << " " << order.current << " " << chain;
          if (!cancel) {
            std::string price = order.side == "1" ? bids[pick(bids.size())] : offers[pick(offers.size())];
            int quantity = 1 + pick(5);
            message.setField(38, std::to_string(quantity));
            message.setField(40, "2");
            message.setField(44, price);
            message.setField(59, "1");
            line << " " << quantity << " " << price;
          }
          order.pending = clOrdID;
          soak.chainOf[clOrdID] = chain;
        }
        message.setField(FIX::TransactTime());
        // Recorded before it is sent: a report for it may come back at once.
        soak.write(line.str());
      }
      FIX::Session::sendToTarget(message, soak.session);
      if (++requests % 25 == 0) {
        std::printf("SENT %ld\n", requests);
        std::fflush(stdout);
      }
    }
    std::printf("STOPPING after %ld\n", requests);
    std::fflush(stdout);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(settleSeconds);
    auto unsettled = [&] {
      std::lock_guard<std::mutex> guard(soak.lock);
      int count = 0;
      for (auto& entry : soak.orders) count += entry.second.settled() ? 0 : 1;
      return count;
    };
    while (unsettled() > 0 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    int settled = 0, open = 0;
    {
      std::lock_guard<std::mutex> guard(soak.lock);
      for (auto& entry : soak.orders) {
        const Order& order = entry.second;
        if (order.settled()) {
          settled += 1;
          continue;
        }
        open += 1;
        std::printf("UNSETTLED %s current=%s pending=%s status=%s\n", entry.first.c_str(), order.current.c_str(),
                    order.pending.empty() ? "-" : order.pending.c_str(), order.status.empty() ? "-" : order.status.c_str());
      }
      std::printf("SUMMARY orders=%zu requests=%ld settled=%d unsettled=%d logons=%d\n", soak.orders.size(), requests, settled,
                  open, soak.logons.load());
      std::fflush(stdout);
    }
    initiator.stop();
    std::fclose(soak.record);
    return 0;
  } catch (std::exception& error) {
    std::fprintf(stderr, "qf_soak: %s\n", error.what());
    return 2;
  }
}
