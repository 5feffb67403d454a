import type { RoutingDict } from "./en";

const routing: RoutingDict = {
  routing: {
    presence: {
      label: "Trạng thái của bạn",
      online: "Trực tuyến",
      away: "Tạm vắng",
      offline: "Ngoại tuyến",
      failed: "Không thể đổi trạng thái. Vui lòng thử lại.",
    },
    team: {
      open: "Phân phối",
      openTitle: "Cài đặt phân phối của {{name}}",
      title: "Phân phối của {{name}}",
      on: "Tự động phân phối: bật · {{strategy}}",
      overflowSummary: "sau {{minutes}} phút chuyển sang {{team}}",
      off: "Tự động phân phối: tắt",
      enabled: "Tự động giao các phiếu đang chờ của nhóm này",
      enabledHint: "Phiếu chưa có người phụ trách được giao ngay cho thành viên trực tuyến có kỹ năng và còn chỗ.",
      strategy: "Cách phân phối",
      strategies: {
        round_robin: "Xoay vòng",
        least_loaded: "Người ít việc nhất",
        best_skill: "Người hợp kỹ năng nhất",
        owner_first: "Ưu tiên người từng hỗ trợ khách",
      },
      overflowTeam: "Nhóm dự phòng",
      noOverflow: "Không chuyển",
      overflowAfter: "Chuyển sang sau (số phút chờ)",
      matchLanguage: "Chỉ nhân viên nói ngôn ngữ của khách (kỹ năng lang:xx)",
      requiredSkills: "Kỹ năng cần có",
      requiredSkillsHint: "Kỹ năng và mức tối thiểu 1–5, ví dụ product:billing 2",
      members: "Thành viên",
      noAgents: "Chưa có nhân viên nào.",
      save: "Lưu cài đặt phân phối",
      saved: "Đã lưu cài đặt phân phối của {{name}}.",
      badSkills: "Không đọc được các kỹ năng: {{list}}",
    },
    agent: {
      title: "Phân phối",
      capacity: "Số việc cùng lúc",
      kinds: {
        ticket: "Phiếu",
        chat: "Trò chuyện",
        call: "Cuộc gọi",
      },
      skills: "Kỹ năng",
      skillsHint: "Kỹ năng và mức 1–5, ví dụ lang:vi 5, product:billing 3",
      save: "Lưu cài đặt phân phối",
      saved: "Đã lưu cài đặt phân phối của {{name}}.",
      status: "Trạng thái",
    },
    ticket: {
      title: "Quá trình phụ trách",
      handoffs: "Số lần chuyển giao",
      path: "Đã qua tay",
      noPath: "Chưa được giao",
      fcr: "Giải quyết ngay lần đầu",
      fcrYes: "Có",
      fcrNo: "Không",
      fcrPending: "Chưa giải quyết",
      waiting: "Đang chờ trong hàng đợi của nhóm",
    },
  },
};

export default routing;
