#include "clients/cli_options.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace baoxue::clients {
namespace {

constexpr absl::string_view kConfigKeys[] = {
    "server", "token_file", "lang", "tls_ca", "tls_cert", "tls_key", "timeout"};

using ConfigValues = absl::flat_hash_map<std::string, std::string>;

const std::string* EnvGet(const Environment& env, absl::string_view name) {
  auto it = env.find(name);
  return it == env.end() || it->second.empty() ? nullptr : &it->second;
}

// Reads a whole file; on failure *why is the system's reason.
bool ReadFile(const std::string& path, std::string* contents,
              std::string* why) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *why = std::strerror(errno);
    return false;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    *why = std::strerror(errno);
    return false;
  }
  *contents = buffer.str();
  return true;
}

// Loads the config file if there is one. A missing file is no error.
bool LoadConfig(const Environment& env, ConfigValues* values,
                std::string* config_dir, Text* error) {
  std::string path = ConfigPath(env);
  if (path.empty()) return true;
  struct stat info;
  if (stat(path.c_str(), &info) != 0 && errno == ENOENT) return true;
  std::string text, why;
  if (!ReadFile(path, &text, &why)) {
    *error = {absl::StrCat("无法读取配置文件 ", path, "：", why),
              absl::StrCat("cannot read the config file ", path, ": ", why)};
    return false;
  }
  *config_dir = path.substr(0, path.rfind('/'));
  return ParseConfig(text, path, values, error);
}

// A path from the config file: `~/x` is in the home, a relative path is
// relative to the config file's directory.
std::string ConfigRelativePath(const std::string& value,
                               const std::string& config_dir,
                               const Environment& env) {
  if (absl::StartsWith(value, "~/")) {
    const std::string* home = EnvGet(env, "HOME");
    return home ? absl::StrCat(*home, value.substr(1)) : value;
  }
  if (value.empty() || value[0] == '/' || config_dir.empty()) return value;
  return absl::StrCat(config_dir, "/", value);
}

// Reads a PEM file named by a TLS option.
bool ReadPem(absl::string_view option, const std::string& path,
             std::string* pem, Text* error) {
  std::string why;
  if (!ReadFile(path, pem, &why)) {
    *error = {absl::StrCat("无法读取 ", option, " 文件 ", path, "：", why),
              absl::StrCat("cannot read the ", option, " file ", path, ": ",
                           why)};
    return false;
  }
  return true;
}

bool ReadToken(const std::string& path, std::string* token, Text* error) {
  std::string contents, why;
  if (!ReadFile(path, &contents, &why)) {
    *error = {absl::StrCat("无法读取令牌文件 ", path, "：", why),
              absl::StrCat("cannot read the token file ", path, ": ", why)};
    return false;
  }
  absl::string_view stripped = absl::StripAsciiWhitespace(contents);
  if (stripped.empty() || stripped.find_first_of(" \t\r\n") !=
                              absl::string_view::npos) {
    *error = {absl::StrCat("令牌文件 ", path, " 应只含一个令牌"),
              absl::StrCat("the token file ", path,
                           " should hold exactly one token")};
    return false;
  }
  *token = std::string(stripped);
  return true;
}

}  // namespace

const std::vector<FlagSpec>& GlobalFlagSpecs() {
  static const auto* specs = new std::vector<FlagSpec>{
      {.name = "server",
       .value_name = "HOST:PORT",
       .help = {"服务器地址（默认 127.0.0.1:7070；环境变量 BAOXUE_SERVER）",
                "server address (default 127.0.0.1:7070; env BAOXUE_SERVER)"}},
      {.name = "token",
       .value_name = "TOKEN",
       .help = {"访问令牌（环境变量 BAOXUE_TOKEN）；建议改用 --token_file",
                "access token (env BAOXUE_TOKEN); prefer --token_file"}},
      {.name = "token_file",
       .value_name = "PATH",
       .help = {"从文件读取访问令牌（环境变量 BAOXUE_TOKEN_FILE）",
                "read the access token from a file (env BAOXUE_TOKEN_FILE)"}},
      {.name = "lang",
       .value_name = "zh|en",
       .help = {"输出语言，默认中文（环境变量 BAOXUE_LANG）",
                "output language, Chinese by default (env BAOXUE_LANG)"}},
      {.name = "json",
       .kind = FlagKind::kBool,
       .help = {"以 JSON 输出应答（字段名稳定，供脚本使用）",
                "print the response as JSON (stable field names, for "
                "scripts)"}},
      {.name = "tls_ca",
       .value_name = "PEM",
       .help = {"用 TLS 连接，并以此 CA 证书验证服务器",
                "connect with TLS, verifying the server with this CA"}},
      {.name = "tls_cert",
       .value_name = "PEM",
       .help = {"客户端证书（双向 TLS，需同时给出 --tls_key）",
                "client certificate for mutual TLS (with --tls_key)"}},
      {.name = "tls_key",
       .value_name = "PEM",
       .help = {"客户端证书的私钥", "the client certificate's private key"}},
      {.name = "timeout",
       .value_name = "SECONDS",
       .help = {"每次调用的时限，默认 30 秒", "deadline of each call, default 30 "
                                            "seconds"}},
      {.name = "help",
       .kind = FlagKind::kBool,
       .help = {"显示帮助", "show help"}},
      {.name = "min_sequence",
       .kind = FlagKind::kInt,
       .value_name = "SEQ",
       .help = {"查询前等待服务器处理到此事件序号",
                "wait until the server has applied this event sequence"},
       .hidden = true},
  };
  return *specs;
}

std::string ConfigPath(const Environment& env) {
  if (const std::string* xdg = EnvGet(env, "XDG_CONFIG_HOME")) {
    return absl::StrCat(*xdg, "/baoxue/config");
  }
  if (const std::string* home = EnvGet(env, "HOME")) {
    return absl::StrCat(*home, "/.config/baoxue/config");
  }
  return "";
}

bool ParseConfig(absl::string_view text, absl::string_view path,
                 ConfigValues* values, Text* error) {
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    size_t eq = line.find('=');
    if (eq == absl::string_view::npos) {
      *error = {absl::StrCat("配置文件 ", path, " 第 ", line_number,
                             " 行：应为“键 = 值”"),
                absl::StrCat("config file ", path, " line ", line_number,
                             ": expected `key = value`")};
      return false;
    }
    std::string key(absl::StripAsciiWhitespace(line.substr(0, eq)));
    absl::string_view value = absl::StripAsciiWhitespace(line.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    bool known = false;
    for (absl::string_view k : kConfigKeys) known = known || k == key;
    if (!known) {
      *error = {absl::StrCat("配置文件 ", path, " 第 ", line_number,
                             " 行：未知设置 ", key,
                             "（可用 server、token_file、lang、tls_ca、"
                             "tls_cert、tls_key、timeout）"),
                absl::StrCat("config file ", path, " line ", line_number,
                             ": unknown setting ", key,
                             " (known: server, token_file, lang, tls_ca, "
                             "tls_cert, tls_key, timeout)")};
      return false;
    }
    (*values)[key] = std::string(value);
  }
  return true;
}

Lang ResolveLang(const FlagValues& globals, const Environment& env) {
  Lang lang = Lang::kZh;
  if (globals.Has("lang")) {
    ParseLang(globals.Get("lang"), &lang);
    return lang;
  }
  if (const std::string* value = EnvGet(env, "BAOXUE_LANG")) {
    ParseLang(*value, &lang);
    return lang;
  }
  ConfigValues config;
  std::string dir;
  Text ignored;
  if (LoadConfig(env, &config, &dir, &ignored) && config.contains("lang")) {
    ParseLang(config["lang"], &lang);
  }
  return lang;
}

bool ResolveOptions(const FlagValues& globals, const Environment& env,
                    CliOptions* options, Text* error) {
  ConfigValues config;
  std::string config_dir;
  if (!LoadConfig(env, &config, &config_dir, error)) return false;
  auto from_config = [&](absl::string_view key) -> const std::string* {
    auto it = config.find(key);
    return it == config.end() || it->second.empty() ? nullptr : &it->second;
  };
  auto config_path = [&](absl::string_view key) {
    return ConfigRelativePath(*from_config(key), config_dir, env);
  };

  // Language.
  std::string lang_value;
  std::string lang_source = "--lang";
  if (globals.Has("lang")) {
    lang_value = globals.Get("lang");
  } else if (const std::string* v = EnvGet(env, "BAOXUE_LANG")) {
    lang_value = *v;
    lang_source = "BAOXUE_LANG";
  } else if (const std::string* v = from_config("lang")) {
    lang_value = *v;
    lang_source = "lang";
  }
  if (!lang_value.empty() && !ParseLang(lang_value, &options->lang)) {
    *error = {absl::StrCat(lang_source, " 只能是 zh 或 en，而不是 \"",
                           lang_value, "\""),
              absl::StrCat(lang_source, " must be zh or en, not \"",
                           lang_value, "\"")};
    return false;
  }

  // Server.
  if (globals.Has("server")) {
    options->server = globals.Get("server");
  } else if (const std::string* v = EnvGet(env, "BAOXUE_SERVER")) {
    options->server = *v;
  } else if (const std::string* v = from_config("server")) {
    options->server = *v;
  }
  if (options->server.empty()) {
    *error = {"--server 不能为空", "--server must not be empty"};
    return false;
  }

  // Token.
  if (globals.Has("token") && globals.Has("token_file")) {
    *error = {"--token 与 --token_file 只能给出一个",
              "give either --token or --token_file, not both"};
    return false;
  }
  if (globals.Has("token")) {
    options->token = std::string(absl::StripAsciiWhitespace(globals.Get("token")));
    options->token_source = "--token";
  } else if (globals.Has("token_file")) {
    std::string path = globals.Get("token_file");
    if (!ReadToken(path, &options->token, error)) return false;
    options->token_source = absl::StrCat("--token_file ", path);
  } else if (const std::string* v = EnvGet(env, "BAOXUE_TOKEN")) {
    options->token = std::string(absl::StripAsciiWhitespace(*v));
    options->token_source = "BAOXUE_TOKEN";
  } else if (const std::string* v = EnvGet(env, "BAOXUE_TOKEN_FILE")) {
    if (!ReadToken(*v, &options->token, error)) return false;
    options->token_source = absl::StrCat("BAOXUE_TOKEN_FILE ", *v);
  } else if (from_config("token_file") != nullptr) {
    std::string path = config_path("token_file");
    if (!ReadToken(path, &options->token, error)) return false;
    options->token_source = absl::StrCat("token_file ", path);
  }

  // TLS.
  for (absl::string_view key : {"tls_ca", "tls_cert", "tls_key"}) {
    std::string path;
    if (globals.Has(key)) {
      path = globals.Get(key);
    } else if (from_config(key) != nullptr) {
      path = config_path(key);
    } else {
      continue;
    }
    std::string* pem = key == "tls_ca"     ? &options->tls_ca_pem
                       : key == "tls_cert" ? &options->tls_cert_pem
                                           : &options->tls_key_pem;
    if (!ReadPem(absl::StrCat("--", key), path, pem, error)) return false;
    options->tls = true;
  }
  if (options->tls_cert_pem.empty() != options->tls_key_pem.empty()) {
    *error = {"--tls_cert 与 --tls_key 须一起给出",
              "--tls_cert and --tls_key go together"};
    return false;
  }

  // Deadline.
  std::string timeout;
  if (globals.Has("timeout")) {
    timeout = globals.Get("timeout");
  } else if (const std::string* v = from_config("timeout")) {
    timeout = *v;
  }
  if (!timeout.empty()) {
    double seconds = 0;
    if (!absl::SimpleAtod(timeout, &seconds) || !(seconds > 0) ||
        seconds > 86400) {
      *error = {absl::StrCat("--timeout 须为 0 到 86400 之间的秒数，而不是 \"",
                             timeout, "\""),
                absl::StrCat("--timeout must be seconds between 0 and 86400, "
                             "not \"",
                             timeout, "\"")};
      return false;
    }
    options->timeout = absl::Seconds(seconds);
  }

  options->json = globals.GetBool("json");
  if (globals.Has("min_sequence")) {
    int64_t seq = globals.GetInt("min_sequence");
    if (seq < 0) {
      *error = {"--min_sequence 不能为负", "--min_sequence must not be negative"};
      return false;
    }
    options->min_sequence = static_cast<uint64_t>(seq);
  }
  return true;
}

}  // namespace baoxue::clients
