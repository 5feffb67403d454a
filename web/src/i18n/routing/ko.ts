import type { RoutingDict } from "./en";

const routing: RoutingDict = {
  routing: {
    presence: {
      label: "내 상태",
      online: "온라인",
      away: "자리 비움",
      offline: "오프라인",
      failed: "상태를 변경하지 못했습니다. 다시 시도해 주세요.",
    },
    team: {
      open: "배정",
      openTitle: "{{name}} 배정 설정",
      title: "{{name}} 배정",
      on: "자동 배정 켜짐 · {{strategy}}",
      overflowSummary: "{{minutes}}분 후 {{team}}(으)로",
      off: "자동 배정 꺼짐",
      enabled: "이 팀의 대기 중인 티켓을 자동으로 배정",
      enabledHint: "담당자가 없는 팀 티켓은 필요한 스킬과 여유가 있는 온라인 팀원에게 바로 배정됩니다.",
      strategy: "배정 방식",
      strategies: {
        round_robin: "라운드 로빈",
        least_loaded: "업무량이 가장 적은 사람",
        best_skill: "스킬이 가장 잘 맞는 사람",
        owner_first: "고객의 이전 담당자 우선",
      },
      overflowTeam: "초과 시 넘길 팀",
      noOverflow: "넘기지 않음",
      overflowAfter: "이 시간(분) 넘게 기다리면 넘기기",
      matchLanguage: "고객의 언어를 하는 상담원만 (스킬 lang:xx)",
      requiredSkills: "필요한 스킬",
      requiredSkillsHint: "스킬과 최소 레벨 1~5 (예: product:billing 2)",
      members: "팀원",
      noAgents: "아직 상담원이 없습니다.",
      save: "배정 설정 저장",
      saved: "{{name}} 배정 설정을 저장했습니다.",
      badSkills: "읽을 수 없는 스킬: {{list}}",
    },
    agent: {
      title: "배정",
      capacity: "동시에 맡을 수 있는 수",
      kinds: {
        ticket: "티켓",
        chat: "채팅",
        call: "통화",
      },
      skills: "스킬",
      skillsHint: "스킬과 레벨 1~5 (예: lang:ko 5, product:billing 3)",
      save: "배정 설정 저장",
      saved: "{{name}} 배정 설정을 저장했습니다.",
      status: "상태",
    },
    ticket: {
      title: "담당 이력",
      handoffs: "인계 횟수",
      path: "거쳐 간 담당자",
      noPath: "아직 배정되지 않음",
      fcr: "첫 응대에서 해결",
      fcrYes: "예",
      fcrNo: "아니요",
      fcrPending: "아직 해결되지 않음",
      waiting: "팀 대기열에서 대기 중",
    },
  },
};

export default routing;
