import type { RoutingDict } from "./en";

const routing: RoutingDict = {
  routing: {
    presence: {
      label: "ステータス",
      online: "対応可能",
      away: "離席中",
      offline: "オフライン",
      failed: "ステータスを変更できませんでした。もう一度お試しください。",
    },
    team: {
      open: "振り分け",
      openTitle: "{{name}} の振り分け設定",
      title: "{{name}} の振り分け",
      on: "自動振り分け オン · {{strategy}}",
      overflowSummary: "{{minutes}} 分後に {{team}} へ",
      off: "自動振り分け オフ",
      enabled: "このチームの待ちチケットを自動で担当者に振り分ける",
      enabledHint: "未割り当てのチケットは、スキルと空きのある対応可能なメンバーにすぐ割り当てられます。",
      strategy: "振り分け方式",
      strategies: {
        round_robin: "ラウンドロビン",
        least_loaded: "負荷が最も少ない人",
        best_skill: "スキルが最も合う人",
        owner_first: "お客様の前回の担当者を優先",
      },
      overflowTeam: "あふれ先チーム",
      noOverflow: "あふれ先なし",
      overflowAfter: "待ち時間がこれを超えたら移す(分)",
      matchLanguage: "お客様の言語を話せる担当者のみ(スキル lang:xx)",
      requiredSkills: "必要なスキル",
      requiredSkillsHint: "スキルと最低レベル 1〜5(例: product:billing 2)",
      members: "メンバー",
      noAgents: "担当者がまだいません。",
      save: "振り分けを保存",
      saved: "{{name}} の振り分けを保存しました。",
      badSkills: "読み取れないスキルがあります: {{list}}",
    },
    agent: {
      title: "振り分け",
      capacity: "同時に担当できる数",
      kinds: {
        ticket: "チケット",
        chat: "チャット",
        call: "通話",
      },
      skills: "スキル",
      skillsHint: "スキルとレベル 1〜5(例: lang:ja 5, product:billing 3)",
      save: "振り分けを保存",
      saved: "{{name}} の振り分けを保存しました。",
      status: "ステータス",
    },
    ticket: {
      title: "担当の履歴",
      handoffs: "引き継ぎ回数",
      path: "担当した人",
      noPath: "まだ割り当てられていません",
      fcr: "初回対応で解決",
      fcrYes: "はい",
      fcrNo: "いいえ",
      fcrPending: "未解決",
      waiting: "チームの待ち行列で待機中",
    },
  },
};

export default routing;
