// The client's global options and where they come from. Each setting is
// taken from, in order of precedence: a command-line flag, an environment
// variable, the config file, the default.
//
//   setting      flag                     environment          config key
//   server       --server host:port       BAOXUE_SERVER        server
//   token        --token / --token_file   BAOXUE_TOKEN /       token_file
//                                         BAOXUE_TOKEN_FILE
//   language     --lang zh|en             BAOXUE_LANG          lang
//   TLS          --tls_ca, --tls_cert,                         tls_ca, tls_cert,
//                --tls_key                                     tls_key
//   deadline     --timeout SECONDS                             timeout
//
// The config file is $XDG_CONFIG_HOME/baoxue/config, by default
// ~/.config/baoxue/config: `key = value` lines, `#` comments. A relative
// path in it is relative to the file's own directory; `~/` is the home.
#ifndef BAOXUE_CLIENTS_CLI_OPTIONS_H_
#define BAOXUE_CLIENTS_CLI_OPTIONS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clients/cli_args.h"
#include "clients/cli_text.h"

namespace baoxue::clients {

// The process environment the client reads; main() copies `environ`, tests
// build their own.
using Environment = absl::flat_hash_map<std::string, std::string>;

inline constexpr char kDefaultServer[] = "127.0.0.1:7070";
inline constexpr int kDefaultTimeoutSeconds = 30;

// The settings a command runs with, all sources merged.
struct CliOptions {
  std::string server = kDefaultServer;
  // The bearer token; empty when none is configured (the server then
  // refuses the call). Never printed.
  std::string token;
  // Where the token came from, for hints: "--token_file /x", "BAOXUE_TOKEN".
  std::string token_source;
  Lang lang = Lang::kZh;
  bool json = false;
  // TLS is used when any of the PEMs is set; an empty CA means the
  // system's roots.
  bool tls = false;
  std::string tls_ca_pem;
  std::string tls_cert_pem;
  std::string tls_key_pem;
  absl::Duration timeout = absl::Seconds(kDefaultTimeoutSeconds);
  // Hidden flag: list commands wait until the server has applied this
  // sequence number (read-your-writes).
  uint64_t min_sequence = 0;
};

// The global flags, as SplitArgs() takes them.
const std::vector<FlagSpec>& GlobalFlagSpecs();

// The config file's path for `env`; empty if neither XDG_CONFIG_HOME nor
// HOME is set.
std::string ConfigPath(const Environment& env);

// Parses config file text into key -> value. Fails on a line that is not
// `key = value` or names an unknown key; *error names `path` and the line.
bool ParseConfig(absl::string_view text, absl::string_view path,
                 absl::flat_hash_map<std::string, std::string>* values,
                 Text* error);

// The output language alone (flags, BAOXUE_LANG, config, default), so that
// errors in the other settings can be reported in it. Never fails: a bad
// value is reported by ResolveOptions().
Lang ResolveLang(const FlagValues& globals, const Environment& env);

// Merges every source into *options, reading the token and PEM files.
// Fails with *error on a bad value or an unreadable file.
bool ResolveOptions(const FlagValues& globals, const Environment& env,
                    CliOptions* options, Text* error);

}  // namespace baoxue::clients

#endif  // BAOXUE_CLIENTS_CLI_OPTIONS_H_
