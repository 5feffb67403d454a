#include "mail_servers.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <grp.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <nlohmann/json.hpp>

namespace kizuna::testing {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kDovecot = "/usr/sbin/dovecot";
constexpr const char* kPython = "/usr/bin/python3";  // Debian's: it has aiosmtpd, the pyenv one has not

[[noreturn]] void Fail(const std::string& message) { throw std::runtime_error(message); }

std::string MakeTempDir(const std::string& prefix) {
  std::string pattern = (fs::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (!mkdtemp(pattern.data())) Fail("mkdtemp failed: " + std::string(std::strerror(errno)));
  // Dovecot's unprivileged processes must reach the files inside.
  chmod(pattern.c_str(), 0755);
  return pattern;
}

// KIZUNA_KEEP_TEST_DIRS=1 keeps the servers' files and logs for a look afterwards.
void RemoveDir(const std::string& dir) {
  const char* keep = std::getenv("KIZUNA_KEEP_TEST_DIRS");
  if (keep && *keep && std::string(keep) != "0") return;
  std::error_code ignored;
  fs::remove_all(dir, ignored);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void WriteFile(const std::string& path, const std::string& data, mode_t mode = 0644) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) Fail("cannot write " + path + ": " + std::strerror(errno));
  std::size_t written = 0;
  while (written < data.size()) {
    ssize_t n = write(fd, data.data() + written, data.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      close(fd);
      Fail("cannot write " + path + ": " + std::strerror(errno));
    }
    written += static_cast<std::size_t>(n);
  }
  close(fd);
}

unsigned short FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    if (fd >= 0) close(fd);
    Fail("cannot find a free port: " + std::string(std::strerror(errno)));
  }
  close(fd);
  return ntohs(address.sin_port);
}

// Starts argv in a process group of its own, stdin from /dev/null, stderr (and stdout
// unless `stdout_read` is given) appended to `log_path`. The child gets SIGTERM when the
// calling thread dies.
int Spawn(const std::vector<std::string>& argv, const std::string& log_path, int* stdout_read) {
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  int out_pipe[2] = {-1, -1};
  if (stdout_read && pipe2(out_pipe, O_CLOEXEC) != 0) Fail("pipe failed");
  int log_fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (log_fd < 0 || null_fd < 0) Fail("cannot open " + log_path);
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) Fail("fork failed");
  if (pid == 0) {
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(1);
    dup2(null_fd, 0);
    dup2(stdout_read ? out_pipe[1] : log_fd, 1);
    dup2(log_fd, 2);
    execv(args[0], args.data());
    _exit(127);
  }
  setpgid(pid, pid);  // also here, so the group exists before anyone signals it
  close(log_fd);
  close(null_fd);
  if (stdout_read) {
    close(out_pipe[1]);
    *stdout_read = out_pipe[0];
  }
  return pid;
}

// False once the child has exited (it is then reaped and `pid` becomes -1).
bool Alive(int& pid) {
  if (pid <= 0) return false;
  int status = 0;
  if (waitpid(pid, &status, WNOHANG) == 0) return true;
  pid = -1;
  return false;
}

// SIGTERM to the child's process group, SIGKILL to the group after `grace`. Dovecot's
// master given SIGTERM alone waits a second for its children; signalled together they
// are usually all gone in milliseconds, but now and then the master still waits its
// second, hence a short grace for dovecot.
void Terminate(int& pid, std::chrono::milliseconds grace) {
  if (pid <= 0) return;
  kill(-pid, SIGTERM);
  bool reaped = false;
  for (auto deadline = Clock::now() + grace; Clock::now() < deadline;) {
    int status = 0;
    pid_t result = waitpid(pid, &status, WNOHANG);
    if (result == pid || (result < 0 && errno == ECHILD)) {
      reaped = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  kill(-pid, SIGKILL);  // stragglers of the group, or all of it
  if (!reaped) {
    int status = 0;
    waitpid(pid, &status, 0);
  }
  pid = -1;
}

// Connects to 127.0.0.1:port and returns the first line the server sends ("" on failure).
std::string Greeting(unsigned short port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return "";
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  std::string line;
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
    auto deadline = Clock::now() + std::chrono::seconds(2);
    char buffer[512];
    while (line.find('\n') == std::string::npos && Clock::now() < deadline) {
      pollfd poll_fd{fd, POLLIN, 0};
      if (poll(&poll_fd, 1, 100) <= 0) continue;
      ssize_t n = read(fd, buffer, sizeof buffer);
      if (n <= 0) break;
      line.append(buffer, static_cast<std::size_t>(n));
    }
  }
  close(fd);
  return line;
}

struct MailUsers {
  std::string internal_user, internal_group, login_user;
  unsigned mail_uid = 0, mail_gid = 0;
};

// Dovecot will not run its login or mail processes as root. As root, they run as the
// users the Debian package made (dovenull, dovecot) and mail as "nobody"; as anyone
// else, everything runs as that user.
MailUsers ChooseMailUsers() {
  MailUsers users;
  if (geteuid() == 0) {
    auto exists = [](const char* name) { return getpwnam(name) != nullptr; };
    users.login_user = exists("dovenull") ? "dovenull" : "nobody";
    users.internal_user = exists("dovecot") ? "dovecot" : "nobody";
    const passwd* nobody = getpwnam("nobody");
    users.mail_uid = nobody ? nobody->pw_uid : 65534;
    users.mail_gid = nobody ? nobody->pw_gid : 65534;
  } else {
    const passwd* me = getpwuid(geteuid());
    if (!me) Fail("the current user has no passwd entry; dovecot needs a user name");
    users.login_user = users.internal_user = me->pw_name;
    const group* my_group = getgrgid(getegid());
    users.internal_group = my_group ? my_group->gr_name : "";
    users.mail_uid = geteuid();
    users.mail_gid = getegid();
  }
  return users;
}

std::string MaildirFlags(const std::string& file_name) {
  auto info = file_name.find(":2,");
  return info == std::string::npos ? "" : file_name.substr(info + 3);
}

}  // namespace

// ---- DovecotServer ----

DovecotServer::DovecotServer() {
  dir_ = MakeTempDir("kizuna-dovecot");
  MailUsers users = ChooseMailUsers();
  mail_uid_ = users.mail_uid;
  mail_gid_ = users.mail_gid;
  fs::create_directories(dir_ + "/mail");
  fs::create_directories(dir_ + "/run");
  fs::create_directories(dir_ + "/state");
  OwnForMail(dir_ + "/mail");
  WriteFile(dir_ + "/users", "");
}

DovecotServer::~DovecotServer() {
  Stop();
  RemoveDir(dir_);
}

std::string DovecotServer::url() const { return "imap://127.0.0.1:" + std::to_string(port_); }
std::string DovecotServer::tls_url() const { return "imaps://127.0.0.1:" + std::to_string(tls_port_); }

std::string DovecotServer::Log() const { return ReadFile(dir_ + "/dovecot.log") + ReadFile(dir_ + "/dovecot.stderr"); }

void DovecotServer::OwnForMail(const std::string& path) const {
  if (geteuid() == 0 && chown(path.c_str(), mail_uid_, mail_gid_) != 0) {
    Fail("chown " + path + ": " + std::strerror(errno));
  }
}

void DovecotServer::AddUser(const std::string& name, const std::string& password) {
  bool name_ok = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::strchr("._@+-", c) != nullptr;
  });
  if (!name_ok) Fail("unsupported test user name: " + name);
  if (password.find_first_of(":\r\n") != std::string::npos) Fail("a passwd-file password cannot hold ':' or line breaks");
  std::ofstream(dir_ + "/users", std::ios::app) << name << ":{PLAIN}" << password << "::::::\n";
  CreateFolder(name, "INBOX");
}

std::string DovecotServer::FolderDir(const std::string& user, const std::string& folder) const {
  std::string root = dir_ + "/mail/" + user;
  return folder == "INBOX" ? root : root + "/." + folder;
}

void DovecotServer::CreateFolder(const std::string& user, const std::string& folder) {
  if (folder.empty() || folder.find('/') != std::string::npos) Fail("unsupported folder name: " + folder);
  std::string user_dir = dir_ + "/mail/" + user;
  std::string folder_dir = FolderDir(user, folder);
  for (const std::string& path : {user_dir, folder_dir, folder_dir + "/cur", folder_dir + "/new", folder_dir + "/tmp"}) {
    if (fs::create_directory(path)) {
      chmod(path.c_str(), 0700);
      OwnForMail(path);
    }
  }
  if (folder != "INBOX" && !fs::exists(folder_dir + "/maildirfolder")) {
    WriteFile(folder_dir + "/maildirfolder", "", 0600);
    OwnForMail(folder_dir + "/maildirfolder");
  }
}

std::string DovecotServer::Deliver(const std::string& user, const std::string& raw_message, const std::string& folder,
                                   const std::string& flags) {
  CreateFolder(user, folder);
  timeval now{};
  gettimeofday(&now, nullptr);
  char unique[96];
  std::snprintf(unique, sizeof unique, "%ld.M%06ldP%dQ%06u.kizuna-test", static_cast<long>(now.tv_sec),
                static_cast<long>(now.tv_usec), static_cast<int>(getpid()), ++delivery_count_);
  std::string folder_dir = FolderDir(user, folder);
  std::string temporary = folder_dir + "/tmp/" + unique;
  WriteFile(temporary, raw_message, 0600);
  OwnForMail(temporary);
  std::string final_path = flags.empty() ? folder_dir + "/new/" + unique : folder_dir + "/cur/" + unique + ":2," + flags;
  if (rename(temporary.c_str(), final_path.c_str()) != 0) Fail("rename into " + final_path + " failed");
  return unique;
}

std::vector<std::string> DovecotServer::Flags(const std::string& user, const std::string& folder) const {
  std::vector<std::pair<std::string, std::string>> messages;  // unique name, flags
  for (const char* sub : {"/cur", "/new"}) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(FolderDir(user, folder) + sub, ec)) {
      std::string name = entry.path().filename().string();
      if (name.empty() || name[0] == '.') continue;
      messages.emplace_back(name.substr(0, name.find(':')), MaildirFlags(name));
    }
  }
  std::sort(messages.begin(), messages.end());
  std::vector<std::string> flags;
  for (auto& message : messages) flags.push_back(std::move(message.second));
  return flags;
}

std::size_t DovecotServer::Count(const std::string& user, const std::string& folder) const {
  return Flags(user, folder).size();
}

void DovecotServer::WriteConfig() const {
  MailUsers users = ChooseMailUsers();
  std::ostringstream conf;
  conf << "# Written by kizuna::testing::DovecotServer for one test.\n"
       << "protocols = imap\n"
       << "listen = 127.0.0.1\n"
       << "base_dir = " << dir_ << "/run\n"
       << "state_dir = " << dir_ << "/state\n"
       << "log_path = " << dir_ << "/dovecot.log\n"
       << "info_log_path = " << dir_ << "/dovecot.log\n"
       << (tls_ ? "ssl = yes\nssl_cert = <" + dir_ + "/cert.pem\nssl_key = <" + dir_ + "/key.pem\n" : "ssl = no\n")
       << "disable_plaintext_auth = no\n"
       << "auth_mechanisms = plain login\n"
       << "auth_failure_delay = 0\n"
       << "default_internal_user = " << users.internal_user << "\n"
       << (users.internal_group.empty() ? "" : "default_internal_group = " + users.internal_group + "\n")
       << "default_login_user = " << users.login_user << "\n"
       << "mail_uid = " << mail_uid_ << "\n"
       << "mail_gid = " << mail_gid_ << "\n"
       << "first_valid_uid = " << mail_uid_ << "\n"
       << "first_valid_gid = " << mail_gid_ << "\n"
       << "mail_location = maildir:~\n"
       << "mail_fsync = never\n"
       << "mail_max_userip_connections = 1000\n"
       << "imap_capability = " << imap_capability_ << "\n"
       << "passdb {\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u " << dir_ << "/users\n}\n"
       << "userdb {\n  driver = static\n  args = home=" << dir_ << "/mail/%u\n}\n"
       << "service imap-login {\n"
       << "  inet_listener imap {\n    address = 127.0.0.1\n    port = " << port_ << "\n  }\n"
       << "  inet_listener imaps {\n    address = 127.0.0.1\n    port = " << (tls_ ? tls_port_ : 0)
       << "\n    ssl = yes\n  }\n"
       << "  chroot =\n"
       << "}\n"
       // No brute-force penalty: a test's wrong password must not slow its next login.
       << "service anvil {\n  chroot =\n  unix_listener anvil-auth-penalty {\n    mode = 0\n  }\n}\n";
  if (geteuid() != 0) conf << "service auth-worker {\n  user = $default_internal_user\n}\n";
  WriteFile(dir_ + "/dovecot.conf", conf.str());
}

bool DovecotServer::TryStart(std::string& why) {
  WriteConfig();
  std::string conf = dir_ + "/dovecot.conf";
  pid_ = Spawn({kDovecot, "-F", "-c", conf}, dir_ + "/dovecot.stderr", nullptr);
  for (auto deadline = Clock::now() + std::chrono::seconds(15); Clock::now() < deadline;) {
    if (!Alive(pid_)) {
      why = Log();
      return false;
    }
    if (Greeting(port_).rfind("* OK", 0) == 0) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  Stop();
  why = "no greeting within 15 s\n" + Log();
  return false;
}

void DovecotServer::Start() {
  if (pid_ > 0) return;
  if (tls_ && !fs::exists(dir_ + "/cert.pem")) {
    int pid = Spawn({"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                     "/CN=127.0.0.1", "-keyout", dir_ + "/key.pem", "-out", dir_ + "/cert.pem"},
                    dir_ + "/openssl.log", nullptr);
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !fs::exists(dir_ + "/cert.pem")) {
      Fail("openssl could not make a certificate");
    }
  }
  std::string why;
  for (int attempt = 0; attempt < 5; ++attempt) {
    if (tls_ && (tls_port_ == 0 || attempt > 0)) tls_port_ = FreePort();
    if (port_ == 0 || attempt > 0) port_ = FreePort();
    if (TryStart(why)) return;
    if (why.find("in use") == std::string::npos) break;  // only a port collision is worth another try
  }
  Fail("dovecot did not start (" + dir_ + "):\n" + why);
}

void DovecotServer::Stop() {
  if (pid_ <= 0) return;
  Terminate(pid_, std::chrono::milliseconds(300));
  // A killed master leaves its pid file; a later dovecot must not mistake a reused pid for it.
  std::error_code ignored;
  fs::remove(dir_ + "/run/master.pid", ignored);
}

void DovecotServer::Restart() {
  Stop();
  Start();
}

bool DovecotServer::Running() { return Alive(pid_); }

// ---- SmtpReceiver ----

SmtpReceiver::SmtpReceiver() { dir_ = MakeTempDir("kizuna-smtp"); }

SmtpReceiver::~SmtpReceiver() {
  Stop();
  RemoveDir(dir_);
}

std::string SmtpReceiver::url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

void SmtpReceiver::Start() {
  if (pid_ > 0) return;
  std::string log_path = dir_ + "/receiver.log";
  for (int attempt = 0; attempt < 20; ++attempt) {
    int out = -1;
    pid_ = Spawn({kPython, KIZUNA_SMTP_RECEIVER, "--dir", dir_, "--port", std::to_string(port_)}, log_path, &out);
    std::string line;
    char buffer[256];
    for (auto deadline = Clock::now() + std::chrono::seconds(15);
         line.find('\n') == std::string::npos && Clock::now() < deadline;) {
      pollfd poll_fd{out, POLLIN, 0};
      if (poll(&poll_fd, 1, 100) <= 0) continue;
      ssize_t n = read(out, buffer, sizeof buffer);
      if (n <= 0) break;
      line.append(buffer, static_cast<std::size_t>(n));
    }
    close(out);
    if (line.rfind("PORT ", 0) == 0) {
      port_ = static_cast<unsigned short>(std::stoi(line.substr(5)));
      return;
    }
    Stop();
    std::string log = ReadFile(log_path);
    // The old port may still be held for a moment after a restart.
    if (port_ == 0 || log.find("in use") == std::string::npos) Fail("smtp_receiver.py did not start:\n" + log);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  Fail("smtp_receiver.py could not listen on port " + std::to_string(port_) + " again");
}

void SmtpReceiver::Stop() { Terminate(pid_, std::chrono::seconds(5)); }

void SmtpReceiver::Restart() {
  Stop();
  Start();
}

bool SmtpReceiver::Running() { return Alive(pid_); }

void SmtpReceiver::SetMode(const std::string& mode) {
  WriteFile(dir_ + "/.mode.tmp", mode + "\n");
  if (rename((dir_ + "/.mode.tmp").c_str(), (dir_ + "/mode").c_str()) != 0) Fail("cannot set the receiver's mode");
}

std::vector<ReceivedMail> SmtpReceiver::Messages() const {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir_)) {
    std::string file = entry.path().filename().string();
    if (file.size() > 4 && file.compare(file.size() - 4, 4, ".eml") == 0 && file[0] != '.') {
      names.push_back(file.substr(0, file.size() - 4));
    }
  }
  std::sort(names.begin(), names.end());
  std::vector<ReceivedMail> mails;
  for (const std::string& name : names) {
    ReceivedMail mail;
    mail.name = name;
    mail.data = ReadFile(dir_ + "/" + name + ".eml");
    auto sidecar = nlohmann::json::parse(ReadFile(dir_ + "/" + name + ".json"), nullptr, false);
    if (sidecar.is_object()) {
      mail.mail_from = sidecar.value("mail_from", "");
      mail.rcpt_tos = sidecar.value("rcpt_tos", std::vector<std::string>{});
      mail.received_at = sidecar.value("received_at", "");
    }
    mails.push_back(std::move(mail));
  }
  return mails;
}

bool SmtpReceiver::WaitForMessages(std::size_t count, std::chrono::milliseconds timeout) const {
  for (auto deadline = Clock::now() + timeout;; std::this_thread::sleep_for(std::chrono::milliseconds(20))) {
    if (Messages().size() >= count) return true;
    if (Clock::now() >= deadline) return false;
  }
}

}  // namespace kizuna::testing
