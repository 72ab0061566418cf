// The comparator for "time to first answer": C++ simdjson (On-Demand) loading an OrderDesk
// snapshot (store format 2: orders with their payment ledger, Shopify-shaped) into typed structs
// like OrderDesk's model (strings, exact money as units + scale, times as seconds, enums as small
// integers, optionals, arrays: line items, the order's transactions, refunds with their
// transactions, line items and order adjustments, the timeline; the inventory map and an index of
// orders by name), then answering `show #1001` from them (its total). Built and run by
// scripts/bench/run:
//
//   g++ -O2 -std=c++17 reference.cpp -lsimdjson -o reference && ./reference snapshot.json '#1001'
//
// It checks what OrderDesk's reader checks on the way (member types, money and time syntax, enum
// choices, the format and version 2, order names used once) but is otherwise a straightforward,
// reasonably tuned loader: no arenas, std::string per string.
#include <simdjson.h>

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

using namespace simdjson;

struct Money { int64_t units = 0; int scale = 0; };
struct Timestamp { int64_t seconds = 0; };
struct Customer { int64_t id = 0; std::string email, first_name, last_name; };
struct Address { std::string name, address1, city, zip, country; };
struct LineItem {
  int64_t id = 0; std::string sku, title; std::optional<std::string> variant_title;
  int64_t quantity = 0; Money price; int64_t fulfilled_quantity = 0, fulfillable_quantity = 0;
  bool gift_card = false; int64_t restocked = 0;
};
struct Transaction {
  int64_t id = 0; uint8_t kind = 0, status = 0; Money amount; std::string currency, gateway;
  std::optional<int64_t> parent_id; Timestamp created_at; std::optional<std::string> transfer;
};
struct RefundLineItem { int64_t line_item_id = 0, quantity = 0; uint8_t restock_type = 0; Money subtotal, total_tax; };
struct OrderAdjustment { std::string kind; Money amount, tax_amount; };
struct Refund {
  int64_t id = 0; Timestamp created_at; std::optional<std::string> note; std::vector<Transaction> transactions;
  std::vector<RefundLineItem> refund_line_items; std::vector<OrderAdjustment> order_adjustments;
};
struct CancellationRecord {
  std::string agent; uint8_t reason = 0; std::optional<std::string> note; uint8_t refund = 0; bool notified = false;
};
struct TimelineEntry { Timestamp at; std::optional<std::string> agent; std::optional<int64_t> seq; std::string message; };
struct Order {
  int64_t id = 0; std::string name; int64_t order_number = 0; std::string email; Timestamp created_at;
  std::string currency; Money subtotal_price, total_shipping_price, total_tax, total_discounts, total_price;
  bool taxes_included = false; uint8_t financial_status = 0; std::optional<uint8_t> fulfillment_status;
  std::optional<Timestamp> cancelled_at; std::optional<uint8_t> cancel_reason; std::optional<Timestamp> closed_at;
  std::optional<std::string> note; std::string tags; Customer customer; std::optional<Address> shipping_address;
  std::vector<LineItem> line_items; std::vector<Transaction> transactions; std::vector<Refund> refunds;
  std::optional<CancellationRecord> cancellation; std::optional<std::string> recreated_from, recreated_as;
  std::vector<TimelineEntry> timeline;
};
struct Feedback { int64_t id = 0, rating = 0; std::string order, email, text, agent; Timestamp at; };
struct Notice { int64_t id = 0; Timestamp at; std::string order, to, subject, body, agent; };
struct Store {
  std::string format; int64_t version = 0, seq = 0; std::vector<Order> orders;
  std::unordered_map<std::string, int64_t> inventory; std::vector<Feedback> feedback;
  bool auto_restock = true; uint8_t default_refund = 0; std::vector<Notice> outbox;
  std::unordered_map<std::string, size_t> positions;
};

[[noreturn]] static void fail(const char* what) { std::fprintf(stderr, "reference: bad %s\n", what); std::exit(3); }

static Money money(std::string_view s) {
  Money m; size_t i = 0; bool neg = false, point = false; int digits = 0;
  if (!s.empty() && s[0] == '-') { neg = true; i = 1; }
  for (; i < s.size(); i++) {
    char c = s[i];
    if (c == '.') { if (point) fail("money"); point = true; continue; }
    if (c < '0' || c > '9') fail("money");
    if (__builtin_mul_overflow(m.units, 10, &m.units) || __builtin_add_overflow(m.units, c - '0', &m.units)) fail("money");
    digits++; if (point) m.scale++;
  }
  if (digits == 0 || m.scale > 6 || (point && m.scale == 0)) fail("money");
  if (neg) m.units = -m.units;
  return m;
}

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

static Timestamp timestamp(std::string_view s) {
  auto num = [&](size_t at, size_t n) {
    int v = 0;
    for (size_t k = at; k < at + n; k++) { if (s[k] < '0' || s[k] > '9') fail("time"); v = v * 10 + (s[k] - '0'); }
    return v;
  };
  if (s.size() != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z') fail("time");
  int y = num(0, 4), mo = num(5, 2), d = num(8, 2), h = num(11, 2), mi = num(14, 2), se = num(17, 2);
  static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] + (mo == 2 && leap) || h > 23 || mi > 59 || se > 60) fail("time");
  return Timestamp{days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se};
}

static uint8_t choice(std::string_view s, std::initializer_list<std::string_view> names, const char* what) {
  uint8_t k = 0;
  for (auto n : names) { if (n == s) return k; k++; }
  fail(what);
}

template <typename V> static std::string str(V&& v) { return std::string(std::string_view(v.get_string())); }
template <typename V> static std::optional<std::string> ostr(V&& v) { if (v.is_null()) return std::nullopt; return str(v); }

static Customer customer(ondemand::object o) {
  Customer c;
  for (auto f : o) {
    ondemand::raw_json_string k = f.key();
    if (k == "id") c.id = f.value().get_int64();
    else if (k == "email") c.email = str(f.value());
    else if (k == "first_name") c.first_name = str(f.value());
    else if (k == "last_name") c.last_name = str(f.value());
  }
  return c;
}

static Address address(ondemand::object o) {
  Address a;
  for (auto f : o) {
    ondemand::raw_json_string k = f.key();
    if (k == "name") a.name = str(f.value());
    else if (k == "address1") a.address1 = str(f.value());
    else if (k == "city") a.city = str(f.value());
    else if (k == "zip") a.zip = str(f.value());
    else if (k == "country") a.country = str(f.value());
  }
  return a;
}

static LineItem line_item(ondemand::object o) {
  LineItem l;
  for (auto f : o) {
    ondemand::raw_json_string k = f.key();
    if (k == "id") l.id = f.value().get_int64();
    else if (k == "sku") l.sku = str(f.value());
    else if (k == "title") l.title = str(f.value());
    else if (k == "variant_title") l.variant_title = ostr(f.value());
    else if (k == "quantity") l.quantity = f.value().get_int64();
    else if (k == "price") l.price = money(f.value().get_string());
    else if (k == "fulfilled_quantity") l.fulfilled_quantity = f.value().get_int64();
    else if (k == "fulfillable_quantity") l.fulfillable_quantity = f.value().get_int64();
    else if (k == "gift_card") l.gift_card = f.value().get_bool();
    else if (k == "restocked") l.restocked = f.value().get_int64();
  }
  return l;
}

static const std::initializer_list<std::string_view> kFinancial = {"pending", "authorized", "partially_paid", "paid", "partially_refunded", "refunded", "voided"};
static const std::initializer_list<std::string_view> kFulfillment = {"partial", "fulfilled", "restocked"};
static const std::initializer_list<std::string_view> kReasons = {"customer", "inventory", "fraud", "declined", "shipping", "staff", "other"};
static const std::initializer_list<std::string_view> kCancelRefund = {"now", "credit", "later", "void"};
static const std::initializer_list<std::string_view> kKind = {"authorization", "capture", "sale", "void", "refund"};
static const std::initializer_list<std::string_view> kStatus = {"pending", "failure", "success", "error"};
static const std::initializer_list<std::string_view> kRestock = {"cancel", "return", "no_restock"};

static Transaction transaction(ondemand::object o) {
  Transaction t;
  for (auto f : o) {
    ondemand::raw_json_string k = f.key();
    if (k == "id") t.id = f.value().get_int64();
    else if (k == "kind") t.kind = choice(f.value().get_string(), kKind, "transaction kind");
    else if (k == "status") t.status = choice(f.value().get_string(), kStatus, "transaction status");
    else if (k == "amount") t.amount = money(f.value().get_string());
    else if (k == "currency") t.currency = str(f.value());
    else if (k == "gateway") t.gateway = str(f.value());
    else if (k == "parent_id") { auto v = f.value(); if (!v.is_null()) t.parent_id = v.get_int64(); }
    else if (k == "created_at") t.created_at = timestamp(f.value().get_string());
    else if (k == "transfer") t.transfer = ostr(f.value());
  }
  return t;
}

static Refund refund(ondemand::object o) {
  Refund r;
  for (auto f : o) {
    ondemand::raw_json_string k = f.key();
    if (k == "id") r.id = f.value().get_int64();
    else if (k == "created_at") r.created_at = timestamp(f.value().get_string());
    else if (k == "note") r.note = ostr(f.value());
    else if (k == "transactions") { for (auto t : f.value().get_array()) r.transactions.push_back(transaction(t.get_object())); }
    else if (k == "refund_line_items") {
      for (auto t : f.value().get_array()) {
        RefundLineItem x;
        for (auto g : t.get_object()) {
          ondemand::raw_json_string n = g.key();
          if (n == "line_item_id") x.line_item_id = g.value().get_int64();
          else if (n == "quantity") x.quantity = g.value().get_int64();
          else if (n == "restock_type") x.restock_type = choice(g.value().get_string(), kRestock, "restock_type");
          else if (n == "subtotal") x.subtotal = money(g.value().get_string());
          else if (n == "total_tax") x.total_tax = money(g.value().get_string());
        }
        r.refund_line_items.push_back(std::move(x));
      }
    } else if (k == "order_adjustments") {
      for (auto t : f.value().get_array()) {
        OrderAdjustment x;
        for (auto g : t.get_object()) {
          ondemand::raw_json_string n = g.key();
          if (n == "kind") x.kind = str(g.value());
          else if (n == "amount") x.amount = money(g.value().get_string());
          else if (n == "tax_amount") x.tax_amount = money(g.value().get_string());
        }
        r.order_adjustments.push_back(std::move(x));
      }
    }
  }
  return r;
}


static Order order(ondemand::object o) {
  Order r;
  for (auto f : o) {
    ondemand::raw_json_string k = f.key();
    auto v = f.value();
    if (k == "id") r.id = v.get_int64();
    else if (k == "name") r.name = str(v);
    else if (k == "order_number") r.order_number = v.get_int64();
    else if (k == "email") r.email = str(v);
    else if (k == "created_at") r.created_at = timestamp(v.get_string());
    else if (k == "currency") r.currency = str(v);
    else if (k == "subtotal_price") r.subtotal_price = money(v.get_string());
    else if (k == "total_shipping_price") r.total_shipping_price = money(v.get_string());
    else if (k == "total_tax") r.total_tax = money(v.get_string());
    else if (k == "total_discounts") r.total_discounts = money(v.get_string());
    else if (k == "total_price") r.total_price = money(v.get_string());
    else if (k == "taxes_included") r.taxes_included = v.get_bool();
    else if (k == "financial_status") r.financial_status = choice(v.get_string(), kFinancial, "financial_status");
    else if (k == "fulfillment_status") { if (!v.is_null()) r.fulfillment_status = choice(v.get_string(), kFulfillment, "fulfillment_status"); }
    else if (k == "cancelled_at") { if (!v.is_null()) r.cancelled_at = timestamp(v.get_string()); }
    else if (k == "cancel_reason") { if (!v.is_null()) r.cancel_reason = choice(v.get_string(), kReasons, "cancel_reason"); }
    else if (k == "closed_at") { if (!v.is_null()) r.closed_at = timestamp(v.get_string()); }
    else if (k == "note") r.note = ostr(v);
    else if (k == "tags") r.tags = str(v);
    else if (k == "customer") r.customer = customer(v.get_object());
    else if (k == "shipping_address") { if (!v.is_null()) r.shipping_address = address(v.get_object()); }
    else if (k == "line_items") { for (auto x : v.get_array()) r.line_items.push_back(line_item(x.get_object())); }
    else if (k == "transactions") { for (auto x : v.get_array()) r.transactions.push_back(transaction(x.get_object())); }
    else if (k == "refunds") { for (auto x : v.get_array()) r.refunds.push_back(refund(x.get_object())); }
    else if (k == "cancellation") {
      if (!v.is_null()) {
        CancellationRecord c;
        for (auto g : v.get_object()) {
          ondemand::raw_json_string n = g.key();
          if (n == "agent") c.agent = str(g.value());
          else if (n == "reason") c.reason = choice(g.value().get_string(), kReasons, "cancellation reason");
          else if (n == "note") c.note = ostr(g.value());
          else if (n == "refund") c.refund = choice(g.value().get_string(), kCancelRefund, "cancellation refund");
          else if (n == "notified") c.notified = g.value().get_bool();
        }
        r.cancellation = std::move(c);
      }
    } else if (k == "recreated_from") r.recreated_from = ostr(v);
    else if (k == "recreated_as") r.recreated_as = ostr(v);
    else if (k == "timeline") {
      for (auto x : v.get_array()) {
        TimelineEntry t;
        for (auto g : x.get_object()) {
          ondemand::raw_json_string n = g.key();
          if (n == "at") t.at = timestamp(g.value().get_string());
          else if (n == "agent") t.agent = ostr(g.value());
          else if (n == "seq") { auto s = g.value(); if (!s.is_null()) t.seq = s.get_int64(); }
          else if (n == "message") t.message = str(g.value());
        }
        r.timeline.push_back(std::move(t));
      }
    }
  }
  return r;
}

int main(int argc, char** argv) {
  if (argc < 2) { std::fprintf(stderr, "usage: reference SNAPSHOT [ORDER]\n"); return 2; }
  try {
    padded_string json = padded_string::load(argv[1]);
    ondemand::parser parser;
    ondemand::document doc = parser.iterate(json);
    Store s;
    for (auto f : doc.get_object()) {
      ondemand::raw_json_string k = f.key();
      auto v = f.value();
      if (k == "format") s.format = str(v);
      else if (k == "version") s.version = v.get_int64();
      else if (k == "seq") s.seq = v.get_int64();
      else if (k == "orders") {
        s.orders.reserve(json.size() / 1024);
        for (auto x : v.get_array()) s.orders.push_back(order(x.get_object()));
      } else if (k == "inventory") {
        for (auto g : v.get_object()) s.inventory.emplace(std::string(std::string_view(g.unescaped_key())), g.value().get_int64());
      } else if (k == "feedback") {
        for (auto x : v.get_array()) {
          Feedback b;
          for (auto g : x.get_object()) {
            ondemand::raw_json_string n = g.key();
            if (n == "id") b.id = g.value().get_int64();
            else if (n == "order") b.order = str(g.value());
            else if (n == "email") b.email = str(g.value());
            else if (n == "rating") b.rating = g.value().get_int64();
            else if (n == "text") b.text = str(g.value());
            else if (n == "agent") b.agent = str(g.value());
            else if (n == "at") b.at = timestamp(g.value().get_string());
          }
          s.feedback.push_back(std::move(b));
        }
      } else if (k == "outbox") {
        for (auto x : v.get_array()) {
          Notice b;
          for (auto g : x.get_object()) {
            ondemand::raw_json_string n = g.key();
            if (n == "id") b.id = g.value().get_int64();
            else if (n == "at") b.at = timestamp(g.value().get_string());
            else if (n == "order") b.order = str(g.value());
            else if (n == "to") b.to = str(g.value());
            else if (n == "subject") b.subject = str(g.value());
            else if (n == "body") b.body = str(g.value());
            else if (n == "agent") b.agent = str(g.value());
          }
          s.outbox.push_back(std::move(b));
        }
      } else if (k == "settings") {
        for (auto g : v.get_object()) {
          ondemand::raw_json_string n = g.key();
          if (n == "auto_restock") s.auto_restock = g.value().get_bool();
          else if (n == "default_refund") s.default_refund = choice(g.value().get_string(), {"now", "credit", "later"}, "default_refund");
        }
      }
    }
    if (s.format != "orderdesk-store") fail("format");
    if (s.version != 2) fail("version");
    s.positions.reserve(s.orders.size());
    for (size_t i = 0; i < s.orders.size(); i++) {
      if (!s.positions.emplace(s.orders[i].name, i).second) fail("duplicate order name");
    }
    const char* wanted = argc > 2 ? argv[2] : "#1001";
    auto it = s.positions.find(wanted);
    if (it == s.positions.end()) { std::printf("no order %s\n", wanted); return 1; }
    const Order& o = s.orders[it->second];
    std::printf("%s %s total %lld/10^%d, %zu orders\n", o.name.c_str(), o.email.c_str(),
                (long long)o.total_price.units, o.total_price.scale, s.orders.size());
    return 0;
  } catch (simdjson_error& e) {
    std::fprintf(stderr, "reference: %s\n", e.what());
    return 3;
  }
}
