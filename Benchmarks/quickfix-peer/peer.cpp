// QuickFIX C++ peer for Wellhead's codec benchmarks (Benchmarks/FIXCodecBenchmarks).
//
// Times the same operations on the same message files (Benchmarks/messages/*.fix, '|' for SOH)
// with the same FIX 4.4 dictionary, and prints ns per message: the median of RUNS timed runs,
// after a warm-up. Heap allocations per message are counted by replacing the global operator
// new, which QuickFIX's std::string and std::map allocations go through.
//
// Build and run: Benchmarks/quickfix-peer/build.sh, then
//   Benchmarks/quickfix-peer/peer [--dictionary PATH] [--messages DIR]
// Machine-readable lines: "RESULT <key> <ns per message> <allocations per message>".

#include <quickfix/DataDictionary.h>
#include <quickfix/Exceptions.h>
#include <quickfix/Message.h>
#include <quickfix/Parser.h>
#include <quickfix/fix44/ExecutionReport.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <iostream>
#include <new>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

// ---- allocation counting ------------------------------------------------------------------

static std::uint64_t g_allocations = 0;

void* operator new(std::size_t size) {
  ++g_allocations;
  if (void* p = std::malloc(size ? size : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return ::operator new(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  ++g_allocations;
  return std::malloc(size ? size : 1);
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept { return ::operator new(size, tag); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }

// ---- inputs ---------------------------------------------------------------------------------

static std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "peer: cannot read " << path << "\n";
    std::exit(1);
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// One message file as wire bytes: trailing newline dropped, '|' made SOH.
static std::string loadMessage(const std::string& dir, const std::string& name) {
  std::string text = readFile(dir + "/" + name + ".fix");
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  std::replace(text.begin(), text.end(), '|', '\001');
  return text;
}

static const int kStreamMessages = 10000;

// 10,000 messages back to back, cycling through messages/stream-mix.txt.
static std::string loadStream(const std::string& dir) {
  std::istringstream mix(readFile(dir + "/stream-mix.txt"));
  std::vector<std::string> messages;
  for (std::string line; std::getline(mix, line);) {
    line.erase(0, line.find_first_not_of(" \t\r"));
    line.erase(line.find_last_not_of(" \t\r") + 1);
    if (line.empty() || line[0] == '#') continue;
    messages.push_back(loadMessage(dir, line));
  }
  std::string stream;
  for (int i = 0; i < kStreamMessages; ++i) stream += messages[i % messages.size()];
  return stream;
}

static std::string visible(std::string text) {
  std::replace(text.begin(), text.end(), '\001', '|');
  return text;
}

// ---- timing ---------------------------------------------------------------------------------

static int g_runs = 15;
static volatile std::size_t g_sink = 0;

struct Result {
  double nsPerOp;
  double allocationsPerOp;
};

// Warm-up, then `g_runs` runs of `ops` operations; the median run's ns per operation.
static Result measure(const char* key, const char* label, long ops, const std::function<void()>& op) {
  for (long i = 0; i < ops; ++i) op();
  std::vector<double> perOp;
  double allocations = 0;
  for (int run = 0; run < g_runs; ++run) {
    std::uint64_t before = g_allocations;
    auto start = std::chrono::steady_clock::now();
    for (long i = 0; i < ops; ++i) op();
    auto end = std::chrono::steady_clock::now();
    allocations = double(g_allocations - before) / double(ops);
    perOp.push_back(std::chrono::duration<double, std::nano>(end - start).count() / double(ops));
  }
  std::sort(perOp.begin(), perOp.end());
  Result result{perOp[perOp.size() / 2], allocations};
  std::printf("%-44s %10.1f ns/msg  %7.2f allocs/msg  (min %.1f, max %.1f)\n", label, result.nsPerOp,
              result.allocationsPerOp, perOp.front(), perOp.back());
  std::printf("RESULT %s %.1f %.2f\n", key, result.nsPerOp, result.allocationsPerOp);
  std::fflush(stdout);
  return result;
}

// ---- framing ----------------------------------------------------------------------------------

// QuickFIX's own receive path: SocketConnection reads up to 4 KB at a time into FIX::Parser,
// then takes messages out with readFixMessage (BodyLength, then "\00110=", no CheckSum check).
class ChunkedParser {
 public:
  explicit ChunkedParser(const std::string& stream) : m_stream(stream) {}

  void next(std::string& out) {
    while (!m_parser.readFixMessage(out)) {
      if (m_offset == m_stream.size()) m_offset = 0;  // the stream ends on a message boundary
      std::size_t length = std::min<std::size_t>(4096, m_stream.size() - m_offset);
      m_parser.addToStream(m_stream.data() + m_offset, length);
      m_offset += length;
    }
  }

 private:
  const std::string& m_stream;
  FIX::Parser m_parser;
  std::size_t m_offset = 0;
};

// Parser::readFixMessage's search on one contiguous buffer, advancing an offset instead of
// erasing the front of the buffer: the framing algorithm without its buffer management.
class OffsetParser {
 public:
  explicit OffsetParser(const std::string& stream) : m_stream(stream) {}

  void next(std::string& out) {
    if (m_offset == m_stream.size()) m_offset = 0;
    std::size_t begin = m_stream.find("8=", m_offset);
    std::size_t start = m_stream.find("\0019=", begin);
    if (begin == std::string::npos || start == std::string::npos) fail();
    start += 3;
    std::size_t end = m_stream.find('\001', start);
    std::string lengthText(m_stream, start, end - start);
    int length = FIX::IntConvertor::convert(lengthText);
    std::size_t pos = m_stream.find("\00110=", end + 1 + length - 1);
    if (pos == std::string::npos) fail();
    pos = m_stream.find('\001', pos + 4);
    if (pos == std::string::npos) fail();
    pos += 1;
    out.assign(m_stream, begin, pos - begin);
    m_offset = pos;
  }

 private:
  [[noreturn]] void fail() {
    std::cerr << "peer: the stream does not frame at " << m_offset << "\n";
    std::exit(1);
  }
  const std::string& m_stream;
  std::size_t m_offset = 0;
};

// ---- encoding -------------------------------------------------------------------------------

// Builds execution-report-parties.fix from typed fields and writes it with toString(), which
// computes BodyLength and CheckSum. The same values as Wellhead's ExecutionReportEncoder.
static std::string encodeExecutionReport(const FIX::UtcTimeStamp& sendingTime, const FIX::UtcTimeStamp& transactTime) {
  FIX44::ExecutionReport report(FIX::OrderID("WH-000000042"), FIX::ExecID("EXEC-20260115-000117"),
                                FIX::ExecType('F'), FIX::OrdStatus('1'), FIX::Side('1'), FIX::LeavesQty(15),
                                FIX::CumQty(10), FIX::AvgPx(75.25));
  FIX::Header& header = report.getHeader();
  header.setField(FIX::MsgSeqNum(2051));
  header.setField(FIX::SenderCompID("WELLHEAD"));
  header.setField(FIX::SendingTime(sendingTime, 3));
  header.setField(FIX::TargetCompID("OMS1"));
  report.set(FIX::ClOrdID("ORD-20260115-000042"));
  report.set(FIX::LastPx(75.25));
  report.set(FIX::LastQty(10));
  report.set(FIX::OrderQty(25));
  report.set(FIX::OrdType('2'));
  report.set(FIX::Price(75.25));
  report.set(FIX::Symbol("CLH6"));
  report.set(FIX::TransactTime(transactTime, 3));
  report.set(FIX::SecurityExchange("NYMEX"));
  FIX44::ExecutionReport::NoPartyIDs party;
  party.set(FIX::PartyID("DESK-CRUDE-01"));
  party.set(FIX::PartyIDSource('D'));
  party.set(FIX::PartyRole(3));
  report.addGroup(party);
  party.set(FIX::PartyID("NYMEX-CLEARING"));
  party.set(FIX::PartyIDSource('D'));
  party.set(FIX::PartyRole(4));
  report.addGroup(party);
  return report.toString();
}

// ---- main -----------------------------------------------------------------------------------

static std::string executableDirectory() {
  char path[4096];
  ssize_t length = readlink("/proc/self/exe", path, sizeof(path) - 1);
  if (length <= 0) return ".";
  std::string text(path, std::size_t(length));
  return text.substr(0, text.rfind('/'));
}

int main(int argc, char** argv) {
  std::string here = executableDirectory();
  const char* envDictionary = std::getenv("WELLHEAD_DICTIONARY");
  const char* envMessages = std::getenv("WELLHEAD_BENCH_MESSAGES");
  std::string dictionaryPath = envDictionary && *envDictionary ? envDictionary : here + "/../../dictionaries/FIX44.xml";
  std::string messagesDir = envMessages && *envMessages ? envMessages : here + "/../messages";
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string option = argv[i];
    if (option == "--dictionary") dictionaryPath = argv[i + 1];
    else if (option == "--messages") messagesDir = argv[i + 1];
    else if (option == "--runs") g_runs = std::max(1, std::atoi(argv[i + 1]));
    else {
      std::cerr << "usage: peer [--dictionary PATH] [--messages DIR] [--runs N]\n";
      return 2;
    }
  }

  FIX::DataDictionary dictionary(dictionaryPath);
  const std::string newOrderSingle = loadMessage(messagesDir, "new-order-single");
  const std::string executionReport = loadMessage(messagesDir, "execution-report-parties");
  const std::string stream = loadStream(messagesDir);
  const FIX::UtcTimeStamp sendingTime(14, 30, 0, 125, 15, 1, 2026);
  const FIX::UtcTimeStamp transactTime(14, 30, 0, 124, 15, 1, 2026);

  // Check, before timing, that every operation does what it claims on these inputs.
  for (const std::string* text : {&newOrderSingle, &executionReport}) {
    try {
      FIX::Message message(*text, dictionary, true);
      dictionary.validate(message);
    } catch (FIX::Exception& error) {
      std::cerr << "peer: QuickFIX rejects " << visible(*text) << ": " << error.what() << "\n";
      return 1;
    }
  }
  std::string encoded = encodeExecutionReport(sendingTime, transactTime);
  if (encoded != executionReport) {
    std::cerr << "peer: the encoder does not reproduce execution-report-parties.fix:\n  "
              << visible(encoded) << "\n  " << visible(executionReport) << "\n";
    return 1;
  }
  {
    ChunkedParser parser(stream);
    std::string message;
    std::size_t bytes = 0;
    for (int i = 0; i < kStreamMessages; ++i) {
      parser.next(message);
      bytes += message.size();
    }
    if (bytes != stream.size()) {
      std::cerr << "peer: the stream frames into " << bytes << " bytes, not " << stream.size() << "\n";
      return 1;
    }
  }

  std::printf("QuickFIX C++ (libquickfix %s), dictionary %s, median of %d runs\n",
#ifdef PEER_QUICKFIX_VERSION
              PEER_QUICKFIX_VERSION,
#else
              "?",
#endif
              dictionaryPath.c_str(), g_runs);

  const long ops = 20000;
  measure("parse_nos", "parse NewOrderSingle", ops, [&] {
    FIX::Message message(newOrderSingle, dictionary, false);
    g_sink += message.bodyLength();
  });
  measure("parse_validate_nos", "parse+validate NewOrderSingle", ops, [&] {
    FIX::Message message(newOrderSingle, dictionary, false);
    dictionary.validate(message);
    g_sink += message.bodyLength();
  });
  measure("parse_validate_er", "parse+validate ExecutionReport+Parties", ops, [&] {
    FIX::Message message(executionReport, dictionary, false);
    dictionary.validate(message);
    g_sink += message.bodyLength();
  });
  measure("encode_er", "encode ExecutionReport+Parties", ops, [&] {
    g_sink += encodeExecutionReport(sendingTime, transactTime).size();
  });
  {
    ChunkedParser parser(stream);
    std::string message;
    measure("frame_stream", "frame stream (FIX::Parser, 4 KB reads)", 100000, [&] {
      parser.next(message);
      g_sink += message.size();
    });
  }
  {
    OffsetParser parser(stream);
    std::string message;
    measure("frame_stream_offset", "frame stream (Parser's search, one buffer)", 100000, [&] {
      parser.next(message);
      g_sink += message.size();
    });
  }
  {
    ChunkedParser parser(stream);
    std::string text;
    measure("frame_parse_stream", "frame+parse stream (CheckSum checked)", ops, [&] {
      parser.next(text);
      FIX::Message message(text, dictionary, true);
      g_sink += message.bodyLength();
    });
  }
  return g_sink == 42 ? 3 : 0;
}
