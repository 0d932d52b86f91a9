// End-to-end tests of the client's TLS options against a real baoxue-server
// speaking TLS, with and without client certificates (mutual TLS). The
// certificates are made for each run with the openssl command.
#include <unistd.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/server_fixture.h"

namespace baoxue::e2e {
namespace {

using ::testing::StartsWith;

constexpr char kOpenssl[] = "/usr/bin/openssl";

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (access(kOpenssl, X_OK) != 0) GTEST_SKIP() << "no " << kOpenssl;
    dir_ = temp_.path();
    // A CA, and a server and a client certificate it signs.
    Openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt",
             "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
             Path("ca.key"), "-out", Path("ca.pem"), "-days", "2", "-subj",
             "/CN=baoxue e2e CA"});
    for (const char* name : {"server", "client"}) {
      std::string n = name;
      Openssl({"req", "-newkey", "ec", "-pkeyopt",
               "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
               Path(n + ".key"), "-out", Path(n + ".csr"), "-subj",
               "/CN=" + n});
      Openssl({"x509", "-req", "-in", Path(n + ".csr"), "-CA", Path("ca.pem"),
               "-CAkey", Path("ca.key"), "-CAcreateserial", "-out",
               Path(n + ".pem"), "-days", "2", "-extfile", WriteExtensions(n)});
    }
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Stop();
  }

  std::string Path(const std::string& name) const { return dir_ + "/" + name; }

  void Openssl(const std::vector<std::string>& args) {
    RunResult run = RunProgram(kOpenssl, args, {{"PATH", "/usr/bin:/bin"}},
                               dir_);
    ASSERT_EQ(run.exit_code, 0) << run.err;
  }

  std::string WriteExtensions(const std::string& name) {
    std::string path = Path(name + ".ext");
    FILE* file = fopen(path.c_str(), "w");
    fputs(name == "server" ? "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                           : "extendedKeyUsage=clientAuth\n",
          file);
    fclose(file);
    return path;
  }

  void StartServer(bool mutual) {
    std::vector<std::string> args = {"--tls_cert=" + Path("server.pem"),
                                     "--tls_key=" + Path("server.key")};
    if (mutual) args.push_back("--tls_client_ca=" + Path("ca.pem"));
    std::string error;
    server_ = ServerProcess::Start(Path("data"), dir_, &error, args);
    ASSERT_NE(server_, nullptr) << error;
  }

  RunResult Cli(std::vector<std::string> args) {
    args.insert(args.begin(), {"--server", server_->address(), "--token_file",
                               server_->token_file(), "--timeout", "20"});
    return RunProgram(BAOXUE_CLI_BIN, args,
                      {{"PATH", "/usr/bin:/bin"}, {"HOME", dir_}}, dir_);
  }

  TempDir temp_;
  std::string dir_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(TlsTest, VerifiesTheServerWithTheGivenCa) {
  StartServer(/*mutual=*/false);
  RunResult tls = Cli({"--tls_ca", Path("ca.pem"), "bureau", "status"});
  EXPECT_EQ(tls.exit_code, 0) << tls.err;

  // Plaintext to a TLS server fails as "cannot reach".
  RunResult plain = Cli({"bureau", "status"});
  EXPECT_EQ(plain.exit_code, 2) << plain.err;
  EXPECT_THAT(plain.err, StartsWith("错误："));

  // A CA that did not sign the server's certificate is not trusted.
  RunResult wrong_ca =
      Cli({"--tls_ca", Path("client.pem"), "bureau", "status"});
  EXPECT_EQ(wrong_ca.exit_code, 2) << wrong_ca.err;
}

TEST_F(TlsTest, MutualTlsNeedsTheClientCertificate) {
  StartServer(/*mutual=*/true);
  RunResult without = Cli({"--tls_ca", Path("ca.pem"), "bureau", "status"});
  EXPECT_EQ(without.exit_code, 2) << without.err;

  RunResult with = Cli({"--tls_ca", Path("ca.pem"), "--tls_cert",
                        Path("client.pem"), "--tls_key", Path("client.key"),
                        "bureau", "status"});
  EXPECT_EQ(with.exit_code, 0) << with.err;

  RunResult half = Cli({"--tls_ca", Path("ca.pem"), "--tls_cert",
                        Path("client.pem"), "bureau", "status"});
  EXPECT_EQ(half.exit_code, 1) << half.err;
  EXPECT_THAT(half.err, testing::HasSubstr("--tls_key"));
}

}  // namespace
}  // namespace baoxue::e2e
