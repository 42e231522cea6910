// QuickFIX (C++) as an OMS in Wellhead's appliance tests: logs on to the gateway, runs a
// script of order requests, prints every application message it receives, and logs out.
//
//   qf_oms <settings> <script>
//
// Script lines (fields separated by spaces; "-" for a field left out):
//   D <ClOrdID> <Symbol> <Side 1|2> <Qty> <OrdType> <Price> <TimeInForce> [ExDestination]   NewOrderSingle
//   F <ClOrdID> <OrigClOrdID> <Symbol> <Side>                               OrderCancelRequest
//   G <ClOrdID> <OrigClOrdID> <Symbol> <Side> <Qty> <OrdType> <Price> <TIF>  OrderCancelReplaceRequest
//   H <ClOrdID> <Symbol> <Side>                                             OrderStatusRequest
//   Q <ClOrdID> <MassCancelRequestType> <Symbol>                            OrderMassCancelRequest
//   EXPECT <ClOrdID> <OrdStatus> <seconds>   wait for an ExecutionReport for ClOrdID with that OrdStatus
//                                            (prints MET or MISSED and how long it waited)
//   V <MDReqID> <SubscriptionRequestType> <MarketDepth> <MDEntryTypes, e.g. 012> <Symbol>...
//                                            MarketDataRequest (incremental updates)
//   L <SecurityReqID>                        SecurityListRequest for every security
//   C <SecurityReqID> <Symbol>               SecurityDefinitionRequest
//   WAITMSG <MsgType> <count> <seconds>      wait until that many messages of the type arrived
//   AWAIT <seconds> <path>                   print "AWAITING <path>" and wait until that file exists: the
//                                            test, seeing the line, acts (kills or starts a process, waits
//                                            for an event) and then creates the file
//   WAITLOGON <count> <seconds>              wait until QuickFIX has logged on <count> times in all
//   RUN <shell command>                      run a command between steps; it must exit 0
//   DROP                                     disconnect without a Logout and exit
//
// Each message received prints as "RECV 35=<type> <tag>=<value> ..." for the tags a test
// reads; market data entries follow as " [279=.. 269=.. 55=.. 270=.. 271=..]", security list
// entries as " [55=.. 167=.. 200=..]". Exits 0 when every EXPECT was met, 1 otherwise, 2 on a setup error.
#include <quickfix/Application.h>
#include <quickfix/FileLog.h>
#include <quickfix/FileStore.h>
#include <quickfix/Session.h>
#include <quickfix/SessionSettings.h>
#include <quickfix/SocketInitiator.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <unistd.h>
#include <utility>
#include <vector>

class Oms : public FIX::Application {
public:
  std::mutex lock;
  std::condition_variable changed;
  std::vector<std::pair<std::string, std::string>> reports;  // (ClOrdID, OrdStatus)
  std::map<std::string, int> received;                        // messages by MsgType
  std::atomic<bool> loggedOn{false};
  int logons = 0;
  FIX::SessionID session;

  void onCreate(const FIX::SessionID&) override {}
  void onLogon(const FIX::SessionID& id) override {
    session = id;
    loggedOn = true;
    std::lock_guard<std::mutex> guard(lock);
    logons += 1;
    changed.notify_all();
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
    std::ostringstream line;
    line << "RECV 35=" << type.getValue();
    for (int tag : {37, 11, 41, 150, 39, 38, 44, 14, 151, 6, 32, 31, 103, 102, 434, 530, 531, 533,
                    262, 281, 320, 322, 323, 560, 393, 335, 336, 325, 340, 326}) {
      if (message.isSetField(tag)) line << " " << tag << "=" << message.getField(tag);
    }
    const std::string& kind = type.getValue();
    if (kind == "W" || kind == "X") {
      if (message.isSetField(55)) line << " 55=" << message.getField(55);
      entries(message, 268, kind == "W" ? 269 : 279, {279, 269, 55, 270, 271, 346}, line);
    } else if (kind == "y") {
      entries(message, 146, 55, {55, 167, 200, 541, 231, 207, 15}, line);
    } else if (kind == "f") {
      if (message.isSetField(55)) line << " 55=" << message.getField(55);
    } else if (kind == "d") {
      for (int tag : {55, 167, 200, 231}) {
        if (message.isSetField(tag)) line << " " << tag << "=" << message.getField(tag);
      }
    }
    if (message.isSetField(58)) line << " 58=" << message.getField(58);
    std::printf("%s\n", line.str().c_str());
    std::fflush(stdout);
    {
      std::lock_guard<std::mutex> guard(lock);
      received[kind] += 1;
      changed.notify_all();
    }
    if (type.getValue() == "8" && message.isSetField(11) && message.isSetField(39)) {
      std::lock_guard<std::mutex> guard(lock);
      reports.emplace_back(message.getField(11), message.getField(39));
      changed.notify_all();
    }
  }

  // Appends each entry of a repeating group as " [tag=value ...]".
  static void entries(const FIX::Message& message, int countTag, int delimiter, std::initializer_list<int> tags,
                      std::ostringstream& line) {
    if (!message.isSetField(countTag)) return;
    int count = std::stoi(message.getField(countTag));
    for (int index = 1; index <= count; index++) {
      FIX::Group group(countTag, delimiter);
      message.getGroup(index, group);
      line << " [";
      bool first = true;
      for (int tag : tags) {
        if (!group.isSetField(tag)) continue;
        line << (first ? "" : " ") << tag << "=" << group.getField(tag);
        first = false;
      }
      line << "]";
    }
  }

  bool waitFor(const std::string& msgType, int count, int seconds) {
    std::unique_lock<std::mutex> guard(lock);
    return changed.wait_for(guard, std::chrono::seconds(seconds), [&] { return received[msgType] >= count; });
  }

  bool waitForLogons(int count, int seconds) {
    std::unique_lock<std::mutex> guard(lock);
    return changed.wait_for(guard, std::chrono::seconds(seconds), [&] { return logons >= count; });
  }

  bool expect(const std::string& clOrdID, const std::string& status, int seconds) {
    std::unique_lock<std::mutex> guard(lock);
    return changed.wait_for(guard, std::chrono::seconds(seconds), [&] {
      for (auto& report : reports)
        if (report.first == clOrdID && report.second == status) return true;
      return false;
    });
  }
};

static void set(FIX::Message& message, int tag, const std::string& value) {
  if (value != "-") message.setField(tag, value);
}

static FIX::Message request(const std::vector<std::string>& words) {
  FIX::Message message;
  const std::string& kind = words[0];
  if (kind == "V") {
    message.getHeader().setField(FIX::MsgType("V"));
    message.setField(262, words[1]);
    message.setField(263, words[2]);
    message.setField(264, words[3]);
    message.setField(265, "1");
    for (char type : words[4]) {
      FIX::Group entry(267, 269);
      entry.setField(269, std::string(1, type));
      message.addGroup(entry);
    }
    for (size_t index = 5; index < words.size(); index++) {
      FIX::Group symbol(146, 55);
      symbol.setField(55, words[index]);
      message.addGroup(symbol);
    }
    return message;
  }
  if (kind == "L" || kind == "C") {
    message.getHeader().setField(FIX::MsgType(kind == "L" ? "x" : "c"));
    message.setField(320, words[1]);
    if (kind == "L") {
      message.setField(559, "4");
    } else {
      message.setField(321, "0");
      message.setField(55, words[2]);
    }
    return message;
  }
  message.getHeader().setField(FIX::MsgType(kind == "Q" ? "q" : kind));
  set(message, 11, words[1]);
  if (kind == "D") {
    set(message, 55, words[2]); set(message, 54, words[3]); set(message, 38, words[4]);
    set(message, 40, words[5]); set(message, 44, words[6]); set(message, 59, words[7]);
    if (words.size() > 8) set(message, 100, words[8]);
  } else if (kind == "F") {
    set(message, 41, words[2]); set(message, 55, words[3]); set(message, 54, words[4]);
  } else if (kind == "G") {
    set(message, 41, words[2]); set(message, 55, words[3]); set(message, 54, words[4]); set(message, 38, words[5]);
    set(message, 40, words[6]); set(message, 44, words[7]); set(message, 59, words[8]);
  } else if (kind == "H") {
    set(message, 55, words[2]); set(message, 54, words[3]);
  } else if (kind == "Q") {
    set(message, 530, words[2]); set(message, 55, words[3]);
  }
  if (kind != "H") message.setField(FIX::TransactTime());
  return message;
}

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: qf_oms <settings> <script>\n");
    return 2;
  }
  try {
    FIX::SessionSettings settings(argv[1]);
    Oms oms;
    FIX::FileStoreFactory store(settings);
    FIX::FileLogFactory log(settings);
    FIX::SocketInitiator initiator(oms, store, settings, log);
    initiator.start();
    for (int i = 0; i < 3000 && !oms.loggedOn; i++) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (!oms.loggedOn) {
      std::printf("no logon\n");
      initiator.stop(true);
      return 1;
    }
    std::printf("LOGON\n");
    std::fflush(stdout);
    std::ifstream script(argv[2]);
    std::string text;
    bool ok = true;
    while (std::getline(script, text)) {
      std::istringstream in(text);
      std::vector<std::string> words;
      for (std::string word; in >> word;) words.push_back(word);
      if (words.empty() || words[0][0] == '#') continue;
      if (words[0] == "EXPECT") {
        auto start = std::chrono::steady_clock::now();
        bool met = oms.expect(words[1], words[2], std::stoi(words[3]));
        long waited = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
        std::printf("%s %s %s after %ldms\n", met ? "MET" : "MISSED", words[1].c_str(), words[2].c_str(), waited);
        std::fflush(stdout);
        ok = ok && met;
      } else if (words[0] == "WAITMSG") {
        bool met = oms.waitFor(words[1], std::stoi(words[2]), std::stoi(words[3]));
        std::printf("%s %s %s\n", met ? "MET" : "MISSED", words[1].c_str(), words[2].c_str());
        std::fflush(stdout);
        ok = ok && met;
      } else if (words[0] == "AWAIT") {
        const std::string& path = words[2];
        std::printf("AWAITING %s\n", path.c_str());
        std::fflush(stdout);
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(std::stoi(words[1]));
        bool met = access(path.c_str(), F_OK) == 0;
        while (!met && std::chrono::steady_clock::now() < deadline) {
          std::this_thread::sleep_for(std::chrono::milliseconds(10));
          met = access(path.c_str(), F_OK) == 0;
        }
        std::printf("%s AWAIT %s\n", met ? "MET" : "MISSED", path.c_str());
        std::fflush(stdout);
        ok = ok && met;
      } else if (words[0] == "WAITLOGON") {
        bool met = oms.waitForLogons(std::stoi(words[1]), std::stoi(words[2]));
        std::printf("%s LOGON %s\n", met ? "MET" : "MISSED", words[1].c_str());
        std::fflush(stdout);
        ok = ok && met;
      } else if (words[0] == "RUN") {
        // A shell command between steps (the rest of the line), e.g. a risk manager's
        // `wellhead risk kill-switch engage`; its exit status is printed and must be 0.
        int status = std::system(text.substr(text.find("RUN") + 3).c_str());
        std::printf("RAN %d\n", status);
        std::fflush(stdout);
        ok = ok && status == 0;
      } else if (words[0] == "DROP") {
        std::printf("DROP\n");
        std::fflush(stdout);
        _exit(ok ? 0 : 1);  // the socket closes with the process: no Logout
      } else {
        FIX::Message message = request(words);
        FIX::Session::sendToTarget(message, oms.session);
      }
    }
    initiator.stop();
    return ok ? 0 : 1;
  } catch (std::exception& error) {
    std::fprintf(stderr, "qf_oms: %s\n", error.what());
    return 2;
  }
}
