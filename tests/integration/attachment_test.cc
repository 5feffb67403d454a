// Attachments: upload, send with a message, download — and only where allowed.
#include <gtest/gtest.h>

#include "harness.h"

namespace kizuna::testing {
namespace {

using nlohmann::json;

class AttachmentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Start();
    token_ = server_.CreateWorkspaceWithToken("files", "owner@files.test");
    other_token_ = server_.CreateWorkspaceWithToken("elsewhere", "owner@elsewhere.test");
  }
  Client Agent(const std::string& token) const {
    Client c(server_.port());
    c.set_token(token);
    return c;
  }
  KizunaProcess server_;
  std::string token_;
  std::string other_token_;
};

TEST_F(AttachmentTest, AnAgentAttachesAFileToAReplyAndOnlyTheirWorkspaceCanFetchIt) {
  std::string pdf = "%PDF-1.4\n" + std::string(3000, 'x') + "\xff\x00\x01 binary";
  auto upload = Agent(token_).Request("POST", "/api/v1/attachments?name=%E8%AB%8B%E6%B1%82%E6%9B%B8.pdf", pdf,
                                      {{"Content-Type", "application/pdf"}});
  ASSERT_EQ(upload.status, 201) << upload.body;
  EXPECT_EQ(upload.Json()["name"], "請求書.pdf");
  EXPECT_EQ(upload.Json()["size"].get<std::size_t>(), pdf.size());
  std::string upload_token = upload.Json()["token"].get<std::string>();

  auto ticket = Agent(token_).Post("/api/v1/tickets", json{{"subject", "invoice"}, {"body", "x"},
                                                         {"requester", {{"email", "c@example.com"}}}});
  ASSERT_EQ(ticket.status, 201);
  std::string path = "/api/v1/tickets/" + std::to_string(ticket.Json()["id"].get<int>());
  auto reply = Agent(token_).Post(path + "/messages", json{{"body", "請求書です"}, {"attachments", {upload_token}}});
  ASSERT_EQ(reply.status, 201) << reply.body;
  ASSERT_EQ(reply.Json()["attachments"].size(), 1u);
  int id = reply.Json()["attachments"][0]["id"].get<int>();

  auto file = Agent(token_).Get("/api/v1/attachments/" + std::to_string(id));
  ASSERT_EQ(file.status, 200);
  EXPECT_EQ(file.body, pdf);
  EXPECT_EQ(file.Header("content-type"), "application/octet-stream");
  EXPECT_NE(file.Header("content-disposition").find("attachment; filename*=UTF-8''%E8%AB%8B"), std::string::npos);
  EXPECT_NE(file.Header("content-security-policy").find("sandbox"), std::string::npos);

  EXPECT_EQ(Agent(other_token_).Get("/api/v1/attachments/" + std::to_string(id)).status, 404);
  // Files alone make a message; nothing at all does not.
  auto photo = Agent(token_).Request("POST", "/api/v1/attachments?name=p.png", "png", {{"Content-Type", "image/png"}});
  ASSERT_EQ(photo.status, 201);
  EXPECT_EQ(Agent(token_).Post(path + "/messages", json{{"body", ""}, {"attachments", {photo.Json()["token"]}}}).status, 201);
  EXPECT_EQ(Agent(token_).Post(path + "/messages", json{{"body", ""}}).status, 400);
  // A sent upload cannot be sent again, and a token is nobody else's to use.
  EXPECT_EQ(Agent(token_).Post(path + "/messages", json{{"body", "again"}, {"attachments", {upload_token}}}).status, 400);
  auto second = Agent(token_).Request("POST", "/api/v1/attachments?name=a.txt", "hello", {{"Content-Type", "text/plain"}});
  ASSERT_EQ(second.status, 201);
  auto other_ticket = Agent(other_token_).Post("/api/v1/tickets", json{{"subject", "s"}, {"body", "x"},
                                                                     {"requester", {{"email", "d@example.com"}}}});
  std::string other_path = "/api/v1/tickets/" + std::to_string(other_ticket.Json()["id"].get<int>());
  EXPECT_EQ(Agent(other_token_).Post(other_path + "/messages",
                                     json{{"body", "steal"}, {"attachments", {second.Json()["token"]}}}).status,
            400);
}

TEST_F(AttachmentTest, UploadsAreBoundedAndNamedSafely) {
  auto empty = Agent(token_).Request("POST", "/api/v1/attachments?name=a.txt", "", {{"Content-Type", "text/plain"}});
  EXPECT_EQ(empty.status, 400);
  auto path_name = Agent(token_).Request("POST", "/api/v1/attachments?name=..%2F..%2Fetc%2Fpasswd", "x",
                                         {{"Content-Type", "text/html; charset=utf-8"}});
  ASSERT_EQ(path_name.status, 201) << path_name.body;
  EXPECT_EQ(path_name.Json()["name"], "passwd");
  EXPECT_EQ(path_name.Json()["content_type"], "text/html");
  // Unsent, a file is its uploader's alone; served, HTML never renders as a page.
  auto own = Agent(token_).Get("/api/v1/attachments/" + std::to_string(path_name.Json()["id"].get<int>()));
  EXPECT_EQ(own.status, 200);
  EXPECT_EQ(own.Header("content-type"), "application/octet-stream");
  std::string huge(21 << 20, 'z');
  std::string raw = "POST /api/v1/attachments?name=big.bin HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token_ +
                    "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + std::to_string(huge.size()) +
                    "\r\n\r\n" + huge;
  EXPECT_EQ(StatusOf(RawExchange(server_.port(), raw, std::chrono::milliseconds(5000))), 413);
}

TEST_F(AttachmentTest, ACustomerSendsAndSeesFilesOnTheirOwnRequestsOnly) {
  Client visitor(server_.port());
  auto photo = visitor.Request("POST", "/api/v1/portal/files/attachments?name=damage.png", "\x89PNG fake",
                               {{"Content-Type", "image/png"}});
  ASSERT_EQ(photo.status, 201) << photo.body;
  auto submitted = visitor.Post("/api/v1/portal/files/requests",
                                json{{"name", "Lan"}, {"email", "lan@example.vn"}, {"subject", "Hàng bị vỡ"},
                                     {"body", "Ảnh đính kèm"}, {"attachments", {photo.Json()["token"]}}});
  ASSERT_EQ(submitted.status, 201) << submitted.body;
  auto agent_view = Agent(token_).Get("/api/v1/tickets?channel=web").Json()["tickets"];
  ASSERT_EQ(agent_view.size(), 1u);
  auto messages = Agent(token_).Get("/api/v1/tickets/" + std::to_string(agent_view[0]["id"].get<int>()) + "/messages");
  auto attachment = messages.Json()["messages"][0]["attachments"][0];
  EXPECT_EQ(attachment["name"], "damage.png");
  auto image = Agent(token_).Get("/api/v1/attachments/" + std::to_string(attachment["id"].get<int>()));
  EXPECT_EQ(image.status, 200);
  EXPECT_EQ(image.Header("content-type"), "image/png");
  EXPECT_EQ(image.body, "\x89PNG fake");
  // Visitors cannot download; the signed-in customer can, for their own request.
  std::string download = "/api/v1/portal/files/attachments/" + std::to_string(attachment["id"].get<int>());
  EXPECT_EQ(visitor.Get(download).status, 401);
}

}  // namespace
}  // namespace kizuna::testing
