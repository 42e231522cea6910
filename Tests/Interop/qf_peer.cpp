// QuickFIX (C++) as Wellhead's independent counterparty in interop tests.
//
//   qf_peer initiator <settings> <count> <pace-us> [gap-at]
//       logs on, sends <count> NewOrderSingles (one every <pace-us> microseconds), optionally
//       skips three sequence numbers after message <gap-at> to force a resend, waits for every
//       order to come back from Wellhead's echo application, logs out.
//   qf_peer acceptor <settings> <count>
//       waits for Wellhead's initiator to log on, sends it <count> NewOrderSingles, waits for
//       the echoes, then logs out.
//   qf_peer tls-initiator | tls-acceptor ...
//       the same over TLS, with QuickFIX's SSL socket classes and its SSL settings keys.
//
// Prints "echoed <distinct> of <count>; logons <n>; first-logon-seq <s>; last-logon-seq <s>;
// received <n>; duplicates <n>; unsolicited-logouts <n>; resets <n>" and exits 0 when every
// order came back exactly once and Wellhead never logged the session out.
//
// After a logon that reset the sequence numbers (a ResetSeqNumFlag sent or received once the
// session had already run), what was in flight cannot be recovered by ResendRequest: the
// peer sends again, with PossResend=Y, every order not yet echoed, as an OMS does.
//
// Logon credentials come from the environment: QF_USERNAME / QF_PASSWORD are sent in the
// Logon; an acceptor given QF_EXPECT_USERNAME / QF_EXPECT_PASSWORD refuses any other pair
// (RejectLogon). Every Logout received is printed as "logout: <text>"; QF_LOGON_WAIT sets
// how many seconds to wait for the first logon (30). It prints
// "progress <n>" as the 100th, 200th … echo arrives, for tests that act mid-stream, and an
// acceptor prints "listening" once its port accepts connections.
#include <quickfix/Application.h>
#include <quickfix/FileLog.h>
#include <quickfix/FileStore.h>
#include <quickfix/Session.h>
#include <quickfix/SessionSettings.h>
#include <quickfix/SocketAcceptor.h>
#include <quickfix/SocketInitiator.h>
#include <quickfix/SSLSocketAcceptor.h>
#include <quickfix/SSLSocketInitiator.h>
#include <quickfix/fix44/NewOrderSingle.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

class Peer : public FIX::Application {
public:
  std::mutex lock;
  std::set<std::string> echoed;
  std::atomic<int> logons{0};
  std::atomic<int> received{0};
  std::atomic<bool> loggedOn{false};
  std::atomic<bool> loggedOut{false};
  std::atomic<bool> loggingOut{false};
  std::atomic<int> duplicates{0};
  std::atomic<int> unsolicitedLogouts{0};
  std::atomic<int> resets{0};
  std::atomic<bool> resetSeen{false};
  std::atomic<bool> recoveryDue{false};
  std::string lastLogoutText;
  int firstLogonSeq = 0, lastLogonSeq = 0;
  FIX::SessionID session;

  void onCreate(const FIX::SessionID&) override {}
  void onLogon(const FIX::SessionID& id) override {
    session = id;
    logons++;
    loggedOn = true;
    if (resetSeen.exchange(false) && logons > 1) {
      resets++;
      recoveryDue = true;
    }
  }
  void onLogout(const FIX::SessionID&) override {
    loggedOn = false;
    loggedOut = true;
  }
  void toAdmin(FIX::Message& message, const FIX::SessionID&) override {
    noteReset(message);
    FIX::MsgType type;
    message.getHeader().getField(type);
    const char* username = std::getenv("QF_USERNAME");
    const char* password = std::getenv("QF_PASSWORD");
    if (type.getValue() == "A") {
      if (username) message.setField(FIX::Username(username));
      if (password) message.setField(FIX::Password(password));
    }
  }
  void noteReset(const FIX::Message& message) {
    FIX::MsgType type;
    message.getHeader().getField(type);
    FIX::ResetSeqNumFlag reset(false);
    if (type.getValue() == "A" && message.isSetField(reset)) {
      message.getField(reset);
      if (reset.getValue()) resetSeen = true;
    }
  }
  void toApp(FIX::Message&, const FIX::SessionID&) throw(FIX::DoNotSend) override {}
  void fromAdmin(const FIX::Message& message, const FIX::SessionID&)
      throw(FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue, FIX::RejectLogon) override {
    FIX::MsgType type;
    message.getHeader().getField(type);
    noteReset(message);
    if (type.getValue() == "A") {
      const char* expectUser = std::getenv("QF_EXPECT_USERNAME");
      const char* expectPassword = std::getenv("QF_EXPECT_PASSWORD");
      if (expectUser || expectPassword) {
        FIX::Username username;
        FIX::Password password;
        bool hasUser = message.isSetField(username), hasPassword = message.isSetField(password);
        if (hasUser) message.getField(username);
        if (hasPassword) message.getField(password);
        if (!hasUser || !hasPassword || (expectUser && username.getValue() != expectUser) ||
            (expectPassword && password.getValue() != expectPassword)) {
          std::printf("refused logon from %s\n", hasUser ? username.getValue().c_str() : "(no username)");
          std::fflush(stdout);
          throw FIX::RejectLogon("invalid Username or Password");
        }
        std::printf("accepted logon from %s\n", username.getValue().c_str());
        std::fflush(stdout);
      }
    }
    if (type.getValue() == "5") {
      FIX::Text text;
      if (message.isSetField(text)) message.getField(text);
      std::printf("logout: %s\n", text.getValue().c_str());
      std::fflush(stdout);
    }
    if (type.getValue() == "5" && !loggingOut) {
      unsolicitedLogouts++;
      FIX::Text text;
      std::lock_guard<std::mutex> guard(lock);
      if (message.isSetField(text)) { message.getField(text); lastLogoutText = text.getValue(); }
    }
    if (type.getValue() == "A") {
      FIX::MsgSeqNum seq;
      message.getHeader().getField(seq);
      std::lock_guard<std::mutex> guard(lock);
      if (firstLogonSeq == 0) firstLogonSeq = seq.getValue();
      lastLogonSeq = seq.getValue();
    }
  }
  void fromApp(const FIX::Message& message, const FIX::SessionID&)
      throw(FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue, FIX::UnsupportedMessageType) override {
    FIX::MsgType type;
    message.getHeader().getField(type);
    received++;
    if (type.getValue() != "D") return;
    FIX::ClOrdID id;
    message.getField(id);
    std::lock_guard<std::mutex> guard(lock);
    if (!echoed.insert(id.getValue()).second) duplicates++;
    else if (echoed.size() % 100 == 0) {
      std::printf("progress %zu\n", echoed.size());
      std::fflush(stdout);
    }
  }
  size_t distinct() {
    std::lock_guard<std::mutex> guard(lock);
    return echoed.size();
  }
};

static FIX44::NewOrderSingle order(int i) {
  FIX44::NewOrderSingle message(FIX::ClOrdID("Q" + std::to_string(i)), FIX::Side(FIX::Side_BUY),
                                FIX::TransactTime(), FIX::OrdType(FIX::OrdType_LIMIT));
  message.set(FIX::Symbol("CLZ6"));
  message.set(FIX::OrderQty(1 + i % 10));
  message.set(FIX::Price(71.25 + (i % 100) / 100.0));
  message.set(FIX::Account("DESK1"));
  return message;
}

static bool waitFor(const std::function<bool()>& done, int seconds) {
  for (int i = 0; i < seconds * 100; i++) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

// Sends again, with PossResend=Y, every order of 1…sent not yet echoed.
static void recover(Peer& peer, int sent) {
  std::set<std::string> done;
  {
    std::lock_guard<std::mutex> guard(peer.lock);
    done = peer.echoed;
  }
  for (int i = 1; i <= sent; i++) {
    if (done.count("Q" + std::to_string(i))) continue;
    auto message = order(i);
    message.getHeader().setField(FIX::PossResend(true));
    FIX::Session::sendToTarget(message, peer.session);
  }
}

// Waits for every order to come back, recovering after a reset logon on the way.
static void awaitEchoes(Peer& peer, int count, int seconds) {
  waitFor([&] {
    if (peer.recoveryDue && peer.loggedOn) {
      peer.recoveryDue = false;
      recover(peer, count);
    }
    return peer.distinct() == (size_t)count;
  }, seconds);
}

static void sendAll(Peer& peer, int count, int paceMicros, int gapAt) {
  for (int i = 1; i <= count; i++) {
    auto message = order(i);
    FIX::Session::sendToTarget(message, peer.session);
    if (gapAt > 0 && i == gapAt) {
      FIX::Session* session = FIX::Session::lookupSession(peer.session);
      session->setNextSenderMsgSeqNum(session->getExpectedSenderNum() + 3);
    }
    if (paceMicros > 0) std::this_thread::sleep_for(std::chrono::microseconds(paceMicros));
  }
}

static int report(Peer& peer, int count) {
  std::lock_guard<std::mutex> guard(peer.lock);
  std::printf("echoed %zu of %d; logons %d; first-logon-seq %d; last-logon-seq %d; received %d; duplicates %d; "
              "unsolicited-logouts %d; resets %d\n",
              peer.echoed.size(), count, peer.logons.load(), peer.firstLogonSeq, peer.lastLogonSeq, peer.received.load(),
              peer.duplicates.load(), peer.unsolicitedLogouts.load(), peer.resets.load());
  if (peer.unsolicitedLogouts > 0) std::printf("last logout: %s\n", peer.lastLogoutText.c_str());
  std::fflush(stdout);
  return peer.echoed.size() == (size_t)count && peer.duplicates == 0 && peer.unsolicitedLogouts == 0 ? 0 : 1;
}

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: qf_peer [tls-]initiator|[tls-]acceptor <settings> <count> [pace-us] [gap-at]\n");
    return 2;
  }
  std::string mode = argv[1];
  int count = std::atoi(argv[3]);
  int pace = argc > 4 ? std::atoi(argv[4]) : 0;
  int gapAt = argc > 5 ? std::atoi(argv[5]) : 0;
  try {
    FIX::SessionSettings settings(argv[2]);
    Peer peer;
    FIX::FileStoreFactory store(settings);
    FIX::FileLogFactory log(settings);
    if (mode == "initiator" || mode == "tls-initiator") {
      std::unique_ptr<FIX::Initiator> owned;
      if (mode == "tls-initiator") owned.reset(new FIX::SSLSocketInitiator(peer, store, settings, log));
      else owned.reset(new FIX::SocketInitiator(peer, store, settings, log));
      FIX::Initiator& initiator = *owned;
      initiator.start();
      const char* logonWait = std::getenv("QF_LOGON_WAIT");
      if (!waitFor([&] { return peer.loggedOn.load(); }, logonWait ? std::atoi(logonWait) : 30)) {
        std::printf("no logon\n");
        initiator.stop(true);
        return 1;
      }
      sendAll(peer, count, pace, gapAt);
      awaitEchoes(peer, count, 90);
      peer.loggingOut = true;
      initiator.stop();  // logs out and waits for the reply
      return report(peer, count);
    } else {
      std::unique_ptr<FIX::Acceptor> owned;
      if (mode == "tls-acceptor") owned.reset(new FIX::SSLSocketAcceptor(peer, store, settings, log));
      else owned.reset(new FIX::SocketAcceptor(peer, store, settings, log));
      FIX::Acceptor& acceptor = *owned;
      acceptor.start();  // binds and listens before it returns
      std::printf("listening\n");
      std::fflush(stdout);
      if (!waitFor([&] { return peer.loggedOn.load(); }, 60)) {
        std::printf("no logon\n");
        acceptor.stop(true);
        return 1;
      }
      sendAll(peer, count, pace, gapAt);
      awaitEchoes(peer, count, 90);
      peer.loggingOut = true;
      FIX::Session::lookupSession(peer.session)->logout("interop run complete");
      waitFor([&] { return peer.loggedOut.load(); }, 30);
      acceptor.stop();
      return report(peer, count);
    }
  } catch (std::exception& error) {
    std::fprintf(stderr, "qf_peer: %s\n", error.what());
    return 2;
  }
}
