// QuickFIX C++ echo acceptor for Wellhead's echo benchmarks (Benchmarks/EchoBenchmarks).
//
// The counterpart of `wellhead serve` with `Application=echo`: one FIX 4.4 acceptor that
// reflects NewOrderSingle (D), SecurityDefinition (d) and Email (C) back to the sender (the
// same body under a new header), ignores a NewOrderSingle with PossResend=Y whose ClOrdID it
// already reflected, and answers any other application message with a BusinessMessageReject
// (QuickFIX does that when fromApp throws UnsupportedMessageType). Messages are persisted
// with QuickFIX's FileStore (outgoing messages and both sequence numbers, fflush'd per
// message, no fsync), which is QuickFIX's counterpart of Wellhead's SQLite journal.
//
// Build: Benchmarks/quickfix-peer/build-echo.sh. Run:
//   echo-acceptor --port N --dictionary FIX44.xml --store DIR
//                 [--sender WELLHEAD] [--target OMS1] [--log DIR]
//                 [--acceptor threaded|socket] [--exit-on-stdin-eof]
// --log adds QuickFIX's FileLog (every message in and out as text; off by default: Wellhead's
// journal is the store and the audit log in one, QuickFIX's FileStore is only the store).
// --acceptor picks ThreadedSocketAcceptor (a thread per connection, blocking reads; the
// default) or SocketAcceptor (one thread polling every socket).
// --exit-on-stdin-eof stops the acceptor when standard input closes, so it never outlives
// the benchmark process that started it with a pipe as its standard input.
// Prints "ready port=N" once the port is bound; stops cleanly (logs sessions out) on SIGINT,
// SIGTERM or end of input.
#include <quickfix/Application.h>
#include <quickfix/FileLog.h>
#include <quickfix/FileStore.h>
#include <quickfix/Session.h>
#include <quickfix/SessionSettings.h>
#include <quickfix/SocketAcceptor.h>
#include <quickfix/ThreadedSocketAcceptor.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>
#include <utility>

#ifndef QUICKFIX_VERSION_STRING
#define QUICKFIX_VERSION_STRING "unknown"
#endif

class EchoApplication : public FIX::Application {
public:
  void onCreate(const FIX::SessionID&) override {}
  void onLogon(const FIX::SessionID&) override {}
  void onLogout(const FIX::SessionID&) override {}
  void toAdmin(FIX::Message&, const FIX::SessionID&) override {}
  void toApp(FIX::Message&, const FIX::SessionID&) throw(FIX::DoNotSend) override {}
  void fromAdmin(const FIX::Message&, const FIX::SessionID&)
      throw(FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue, FIX::RejectLogon) override {}

  void fromApp(const FIX::Message& message, const FIX::SessionID& session)
      throw(FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue, FIX::UnsupportedMessageType) override {
    FIX::MsgType type;
    message.getHeader().getField(type);
    const std::string& msgType = type.getValue();
    if (msgType != "D" && msgType != "d" && msgType != "C") throw FIX::UnsupportedMessageType();
    if (msgType == "D") {
      FIX::ClOrdID clOrdID;
      message.getField(clOrdID);
      bool possResend = false;
      if (message.getHeader().isSetField(FIX::FIELD::PossResend)) {
        FIX::PossResend flag;
        message.getHeader().getField(flag);
        possResend = flag.getValue();
      }
      bool seenBefore;
      {
        std::lock_guard<std::mutex> guard(m_lock);
        seenBefore = !m_seen.insert(std::make_pair(session.toString(), clOrdID.getValue())).second;
      }
      if (possResend && seenBefore) return;
    }
    // The same body (fields and groups) under a new header, which the session fills in:
    // BeginString, CompIDs reversed, the next MsgSeqNum, SendingTime.
    FIX::Message echo;
    static_cast<FIX::FieldMap&>(echo) = static_cast<const FIX::FieldMap&>(message);
    echo.getHeader().setField(FIX::MsgType(msgType));
    FIX::Session::sendToTarget(echo, session);
  }

private:
  std::mutex m_lock;
  std::set<std::pair<std::string, std::string>> m_seen;
};

static void usage() {
  std::fprintf(stderr,
               "usage: echo-acceptor --port N --dictionary FIX44.xml --store DIR [--sender WELLHEAD] [--target OMS1]\n"
               "                     [--log DIR] [--acceptor threaded|socket] [--exit-on-stdin-eof]\n");
}

int main(int argc, char** argv) {
  std::string port, dictionary, store, log, sender = "WELLHEAD", target = "OMS1", kind = "threaded";
  bool exitOnStdinEOF = false;
  for (int i = 1; i < argc; i++) {
    std::string arg = argv[i];
    auto value = [&](std::string& out) {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "echo-acceptor: %s needs a value\n", arg.c_str());
        std::exit(2);
      }
      out = argv[++i];
    };
    if (arg == "--port") value(port);
    else if (arg == "--dictionary") value(dictionary);
    else if (arg == "--store") value(store);
    else if (arg == "--log") value(log);
    else if (arg == "--sender") value(sender);
    else if (arg == "--target") value(target);
    else if (arg == "--acceptor") value(kind);
    else if (arg == "--exit-on-stdin-eof") exitOnStdinEOF = true;
    else {
      std::fprintf(stderr, "echo-acceptor: unknown argument %s\n", arg.c_str());
      usage();
      return 2;
    }
  }
  if (port.empty() || dictionary.empty() || store.empty() || (kind != "threaded" && kind != "socket")) {
    usage();
    return 2;
  }

  // The same session rules as the Wellhead echo profile the benchmark generates: validation
  // on, SendingTime checked against this clock (two minutes), no resets.
  std::ostringstream text;
  text << "[DEFAULT]\n"
       << "ConnectionType=acceptor\n"
       << "BeginString=FIX.4.4\n"
       << "SenderCompID=" << sender << "\n"
       << "SocketAcceptPort=" << port << "\n"
       << "SocketReuseAddress=Y\n"
       << "SocketNodelay=Y\n"
       << "StartTime=00:00:00\n"
       << "EndTime=00:00:00\n"
       << "UseDataDictionary=Y\n"
       << "DataDictionary=" << dictionary << "\n"
       << "FileStorePath=" << store << "\n"
       << "PersistMessages=Y\n"
       << "CheckLatency=Y\n"
       << "MaxLatency=120\n"
       << "ValidateFieldsOutOfOrder=Y\n"
       << "ValidateFieldsHaveValues=Y\n"
       << "ValidateUserDefinedFields=Y\n"
       << "ResetOnLogon=N\n"
       << "ResetOnLogout=N\n"
       << "ResetOnDisconnect=N\n";
  if (!log.empty()) text << "FileLogPath=" << log << "\n";
  // --target names one session's counterparty, or several separated by commas.
  std::istringstream targets(target);
  for (std::string one; std::getline(targets, one, ',');) {
    text << "[SESSION]\n"
         << "TargetCompID=" << one << "\n";
  }

  // SIGINT and SIGTERM are taken by sigwait below; blocked before any QuickFIX thread starts,
  // so every thread inherits the mask and none of them is interrupted.
  sigset_t stopSignals;
  sigemptyset(&stopSignals);
  sigaddset(&stopSignals, SIGINT);
  sigaddset(&stopSignals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

  try {
    std::istringstream input(text.str());
    FIX::SessionSettings settings(input);
    EchoApplication application;
    FIX::FileStoreFactory storeFactory(settings);
    std::unique_ptr<FIX::FileLogFactory> logFactory;
    if (!log.empty()) logFactory.reset(new FIX::FileLogFactory(settings));
    std::unique_ptr<FIX::Acceptor> acceptor;
    if (kind == "threaded") {
      if (logFactory) acceptor.reset(new FIX::ThreadedSocketAcceptor(application, storeFactory, settings, *logFactory));
      else acceptor.reset(new FIX::ThreadedSocketAcceptor(application, storeFactory, settings));
    } else {
      if (logFactory) acceptor.reset(new FIX::SocketAcceptor(application, storeFactory, settings, *logFactory));
      else acceptor.reset(new FIX::SocketAcceptor(application, storeFactory, settings));
    }
    acceptor->start();
    std::printf("ready port=%s acceptor=%s store=%s log=%s quickfix=%s\n", port.c_str(), kind.c_str(), store.c_str(),
                log.empty() ? "off" : log.c_str(), QUICKFIX_VERSION_STRING);
    std::fflush(stdout);

    if (exitOnStdinEOF) {
      std::thread([] {
        char buffer[256];
        while (true) {
          ssize_t count = read(STDIN_FILENO, buffer, sizeof buffer);
          if (count == 0 || (count < 0 && errno != EINTR)) break;
        }
        kill(getpid(), SIGTERM);
      }).detach();
    }

    int received = 0;
    sigwait(&stopSignals, &received);
    acceptor->stop();
    std::printf("stopped on %s\n", received == SIGINT ? "SIGINT" : "SIGTERM");
    return 0;
  } catch (std::exception& error) {
    std::fprintf(stderr, "echo-acceptor: %s\n", error.what());
    return 1;
  }
}
