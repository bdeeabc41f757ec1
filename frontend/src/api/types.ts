// The shapes of the API's JSON, as in shared/API.md.

/** A role a grant gives, scoped to an org unit. */
export type Role = 'organiser' | 'author' | 'invigilator' | 'judge' | 'contestant'

/** Every role, in the order the UI lists them. */
export const ROLES: readonly Role[] = ['organiser', 'author', 'invigilator', 'judge', 'contestant']

/** A role held in a unit, as part of the signed-in user's profile. */
export interface MeGrant {
  id: number
  role: Role
  org_unit_id: number
  org_unit_name: string
}

/** The signed-in user. */
export interface Me {
  id: number
  username: string
  name: string
  org_unit_id: number
  org_unit_name: string
  grants: MeGrant[]
}

/** One page of a list. */
export interface Page<T> {
  items: T[]
  total: number
}

/** An org unit: province, region, county or below. */
export interface OrgUnit {
  id: number
  parent_id: number | null
  name: string
  code: string
  depth: number
  user_count: number
}

/** A user account. */
export interface User {
  id: number
  username: string
  name: string
  employee_no: string
  phone: string
  org_unit_id: number
  org_unit_name: string
  active: boolean
  created_at: string
  updated_at: string
}

/** The fields of a new user. */
export interface UserCreate {
  username: string
  name: string
  employee_no: string
  phone: string
  org_unit_id: number
  password: string
}

/** The fields of a user that can be changed; absent ones stay as they are. */
export interface UserPatch {
  name?: string
  employee_no?: string
  phone?: string
  org_unit_id?: number
  active?: boolean
}

/** One problem found in an import file. */
export interface ImportError {
  row: number
  /** The column as headed in the file (e.g. 用户名), when the server names it. */
  column?: string
  /** The column's field name (e.g. username). */
  field: string
  message: string
}

/** A row of an import file that would be (or was) imported. */
export interface ImportRow {
  row: number
  username: string
  name: string
  org_unit_code: string
}

/** An initial password the server generated during an import. */
export interface ImportPassword {
  username: string
  password: string
}

/** The outcome of a user import, dry run or real. */
export interface ImportResult {
  imported: number
  skipped: number
  errors: ImportError[]
  rows?: ImportRow[]
  passwords?: ImportPassword[]
}

/** A role given to a user in a unit. */
export interface Grant {
  id: number
  user_id: number
  username: string
  user_name: string
  role: Role
  org_unit_id: number
  org_unit_name: string
  created_at: string
}

/** One entry of the audit trail. */
export interface AuditEntry {
  id: number
  at: string
  actor_id: number | null
  actor_username: string
  ip: string
  action: string
  object_type: string
  object_id: number | string | null
  org_unit_id: number | null
  before: unknown
  after: unknown
  reason: string
  prev_hash: string
  hash: string
}

/** The result of checking the audit trail's hash chain. */
export interface AuditVerify {
  ok: boolean
  checked: number
  first_broken_id: number | null
  problem: string
}

// ---- Content: topics, banks, questions, study material ----

/** A node of the topic tree (the API lists them flat; the tree is built in the browser). */
export interface Topic {
  id: number
  parent_id: number | null
  code: string
  name: string
  name_en: string
  depth: number
}

/** A question bank owned by an org unit; it serves that unit and every unit below it. */
export interface Bank {
  id: number
  org_unit_id: number
  org_unit_name: string
  name: string
  description: string
  question_count: number
  approved_count: number
  /** Whether the caller may change the bank and its questions (its unit is inside their scope). */
  editable: boolean
}

/** The six question types. */
export type QuestionType = 'single_choice' | 'multiple_choice' | 'true_false' | 'fill_blank' | 'short_answer' | 'essay'

/** Every question type, in the order menus list them. */
export const QUESTION_TYPES: readonly QuestionType[] = [
  'single_choice',
  'multiple_choice',
  'true_false',
  'fill_blank',
  'short_answer',
  'essay',
]

/** Where a question stands in review. */
export type QuestionStatus = 'draft' | 'in_review' | 'approved' | 'retired'

export const QUESTION_STATUSES: readonly QuestionStatus[] = ['draft', 'in_review', 'approved', 'retired']

/** A review step. */
export type ReviewAction = 'submit' | 'approve' | 'reject' | 'retire' | 'restore'

/** One choice of a choice question: its letter and its text (HTML). */
export interface QuestionOption {
  key: string
  text: string
}

/** One gap of a fill-in question with every answer accepted for it. */
export interface Blank {
  accepted: string[]
}

/** The correct answer, by type. */
export interface QuestionKey {
  choices?: string[]
  true?: boolean
  blanks?: Blank[]
}

/** How a fill-in answer is compared with the accepted ones. */
export interface Normalization {
  fold_width: boolean
  ignore_case: boolean
  trim_space: boolean
}

/** A line of the question list. */
export interface QuestionRow {
  id: number
  bank_id: number
  bank_name: string
  status: QuestionStatus
  version: number
  type: QuestionType
  topic_id: number
  topic_name: string
  difficulty: number
  /** A decimal string such as "2.00". */
  points: string
  tags: string[]
  /** Sanitised HTML. */
  stem: string
  last_editor_id: number
  last_editor_name: string
  editable: boolean
  approvable: boolean
  updated_at: string
}

/** One immutable version of a question. */
export interface QuestionVersion {
  id: number
  version: number
  type: QuestionType
  topic_id: number
  stem: string
  options: QuestionOption[]
  key: QuestionKey
  normalization: Normalization
  explanation: string
  difficulty: number
  points: string
  tags: string[]
  reference_answer: string
  rubric: string
  material_section_id: number | null
  editor_id: number
  editor_name: string
  created_at: string
}

/** A question with its current version. */
export interface QuestionDetail {
  id: number
  bank_id: number
  bank_name: string
  status: QuestionStatus
  version: number
  topic_id: number
  topic_name: string
  last_editor_id: number
  last_editor_name: string
  editable: boolean
  approvable: boolean
  created_at: string
  updated_at: string
  current: QuestionVersion
}

/** The content of a question as the editor sends it. */
export interface QuestionInput {
  topic_id: number
  type: QuestionType
  stem: string
  options: QuestionOption[]
  key: QuestionKey
  normalization: Normalization
  explanation: string
  difficulty: number
  points: string
  tags: string[]
  reference_answer: string
  rubric: string
  material_section_id: number | null
}

/** A new question: its content and the bank it goes into. */
export interface QuestionCreate extends QuestionInput {
  bank_id: number
}

/** An edit: the content and the version it was made from. */
export interface QuestionUpdate extends QuestionInput {
  base_version: number
}

export type QuestionEventKind = 'edit' | 'submit' | 'approve' | 'reject' | 'retire' | 'restore' | 'comment'

/** A line of a question's review history. */
export interface QuestionEvent {
  id: number
  version: number
  actor_id: number
  actor_name: string
  kind: QuestionEventKind | string
  from_status: QuestionStatus | '' | null
  to_status: QuestionStatus | '' | null
  comment: string
  created_at: string
}

/** How many approved questions a bank holds of one topic, type and difficulty. */
export interface QuestionCount {
  topic_id: number
  type: QuestionType
  difficulty: number
  count: number
}

/** The formats questions can be imported from. */
export type ImportFormat = 'xlsx' | 'csv' | 'moodlexml' | 'gift' | 'aiken'

/** The formats questions can be exported to. */
export type ExportFormat = 'xlsx' | 'moodlexml' | 'gift'

/** A problem (or warning) found in a question file: row and column in a spreadsheet, line in a text format. */
export interface QuestionImportProblem {
  row: number
  column: string
  field: string
  message: string
}

/** A question of an import file that looks like one already there. */
export interface QuestionImportDuplicate {
  row: number
  question_id: number | null
  same_file_row: number | null
}

/** A question that will be (or was) imported. */
export interface QuestionImportPreview {
  row: number
  type: QuestionType
  topic: string
  stem: string
  difficulty: number
  points: string
}

/** The outcome of a question import, dry run or real. */
export interface QuestionImportResult {
  imported: number
  skipped: number
  errors: QuestionImportProblem[]
  warnings: QuestionImportProblem[]
  duplicates: QuestionImportDuplicate[]
  preview: QuestionImportPreview[]
  created_topics: string[]
}

/** An uploaded image. */
export interface Asset {
  id: number
  url: string
  content_type: string
  size: number
}

/** An article of study material in a list. */
export interface Material {
  id: number
  topic_id: number
  topic_name: string
  org_unit_id: number
  org_unit_name: string
  title: string
  summary: string
  updated_at: string
  editable: boolean
}

/** A numbered part of an article. */
export interface MaterialSection {
  id: number
  position: number
  title: string
  /** Sanitised HTML. */
  body: string
}

/** An article with its sections. */
export interface MaterialDetail extends Material {
  sections: MaterialSection[]
}

/** A section being saved: without id it is new. */
export interface MaterialSectionInput {
  id?: number
  title: string
  body: string
}

/** A new article. */
export interface MaterialCreate {
  topic_id: number
  org_unit_id: number
  title: string
  summary: string
  sections: MaterialSectionInput[]
}

/** An article's new content. */
export interface MaterialUpdate {
  topic_id: number
  title: string
  summary: string
  sections: MaterialSectionInput[]
}

// Exam (organiser, invigilation, marking)

/** A written exam's kind: one attempt (competition) or several (mock). */
export type ExamKind = 'competition' | 'mock'

/** Whether everyone sits the same paper or each contestant has their own draw. */
export type PaperMode = 'fixed' | 'drawn'

/** When contestants see their results. */
export type ResultsVisibility = 'immediately' | 'after_close' | 'manual'

/** One section of a blueprint: N approved questions of a topic (with its subtopics), type and difficulty. */
export interface BlueprintSection {
  title: string
  topic_id: number
  type: QuestionType
  /** 1..5, or 0 for any difficulty. */
  difficulty: number
  count: number
  /** A decimal string such as "2.00". */
  points_each: string
}

/** A paper blueprint owned by an org unit. */
export interface Blueprint {
  id: number
  org_unit_id: number
  org_unit_name?: string
  name: string
  sections: BlueprintSection[]
  item_count?: number
  total_points?: string
  created_at?: string
}

/** A new blueprint. */
export interface BlueprintCreate {
  org_unit_id: number
  name: string
  sections: BlueprintSection[]
}

/** An exam as the exam list answers it (organisers, invigilators and judges see the ones in their scope). */
export interface AdminExam {
  id: number
  org_unit_id: number
  org_unit_name?: string
  title: string
  instructions: string
  kind: ExamKind
  opens_at: string
  closes_at: string
  duration_seconds: number
  grace_seconds: number
  max_attempts: number
  results_visibility: ResultsVisibility
  item_count: number
  total_points: string
  enrolled: boolean
  manageable: boolean
}

/** An exam with its set-up, as an organiser sees it. */
export interface AdminExamDetail extends AdminExam {
  blueprint_id: number
  blueprint_name: string
  sections: BlueprintSection[]
  bank_ids: number[]
  paper_mode: PaperMode
  shuffle_questions: boolean
  shuffle_options: boolean
  partial_credit: boolean
  marking_threshold: string
  enrolled_count: number
  /** Papers drawn ahead of the window. */
  papers_ready: number
}

/** A new exam. */
export interface AdminExamCreate {
  org_unit_id: number
  title: string
  instructions: string
  kind: ExamKind
  opens_at: string
  closes_at: string
  duration_minutes: number
  grace_seconds: number
  blueprint_id: number
  bank_ids: number[]
  paper_mode: PaperMode
  shuffle_questions: boolean
  shuffle_options: boolean
  max_attempts: number
  partial_credit: boolean
  results_visibility: ResultsVisibility
  marking_threshold: string
}

/** An edit of an exam: the settings to change (the owner and the kind never change). */
export type AdminExamUpdate = Partial<Omit<AdminExamCreate, 'org_unit_id' | 'kind'>>

/** An edit of a blueprint: the name or sections to change. */
export type BlueprintUpdate = Partial<Omit<BlueprintCreate, 'org_unit_id'>>

/** A contestant on an exam's roster. */
export interface ExamEnrolment {
  user_id: number
  username: string
  name: string
  org_unit_name: string
  extra_seconds: number
}

/** An item of a paper as a contestant sees it (never the key). */
export interface PaperItem {
  /** The position on the paper, from 1. */
  id: number
  type: QuestionType
  stem: string
  options: QuestionOption[]
  blanks?: number
  points: string
}

/** A freshly drawn paper, as a contestant would see it. */
export interface ExamPreview {
  items: PaperItem[]
  /** The stored paper shown (a fixed exam's one paper, rebuilt from its seed); 0 for a sample drawn for the preview. */
  paper_id: number
}

/** Where a contestant stands in an exam, as the invigilation console shows it. */
export type MonitorState = 'not_started' | 'in_progress' | 'submitted'

/** One enrolled contestant in the invigilation console. */
export interface MonitorRow {
  user_id: number
  username: string
  name: string
  org_unit_name: string
  state: MonitorState
  attempt_id: number | null
  answered: number
  item_count: number
  last_seen_at: string | null
  focus_losses: number
  /** The exam page was hidden (another tab or window) at the last heartbeat. */
  page_hidden?: boolean
  locked: boolean
  deadline: string | null
  remaining_seconds: number | null
  extra_seconds: number
  submitted_at: string | null
  submitted_by: string
}

/** The invigilation console's picture of an exam, as /monitor and each SSE "snapshot" answer it. */
export interface MonitorSnapshot {
  exam: Partial<AdminExam> & { id: number; title: string }
  server_time: string
  rows: MonitorRow[]
}

/** A message an invigilator sent to every contestant of an exam. */
export interface ExamMessage {
  id: number
  text: string
  sent_at: string
}

// Exam (contestant)

/** Where the caller stands in an exam they are enrolled in. */
export type MyExamStatus = 'not_started' | 'in_progress' | 'submitted'

/** The caller's own use of an exam: attempts made, the one in progress, the last one. */
export interface MyExamState {
  attempts_used: number
  /** The attempt in progress, if any. */
  attempt_id: number | null
  last_attempt_id: number | null
  status: MyExamStatus
}

/** An exam in the caller's list, with their own state in it. */
export interface MyExam extends AdminExam {
  /** Whether the caller can start or resume it now. */
  startable?: boolean
  my: MyExamState
}

/** Whether an attempt is still running. */
export type AttemptStatus = 'in_progress' | 'submitted'

/** The last saved answer to one item of an attempt; `response` by type as in API.md, null when none. */
export interface AttemptAnswer {
  item_id: number
  response: unknown
  seq: number
  saved_at: string | null
}

/** The caller's attempt: items (never the key), last saved answers and the server's time left. */
export interface ExamAttempt {
  id: number
  exam_id: number
  exam_title: string
  number: number
  status: AttemptStatus
  started_at: string
  deadline: string
  remaining_seconds: number
  server_time: string
  grace_seconds: number
  submitted_at: string | null
  /** Who ended it: contestant, sweeper (time ran out) or an invigilator. */
  submitted_by: string
  /** A decimal string, only when results are visible. */
  score: string | null
  graded: boolean
  items: PaperItem[]
  answers: AttemptAnswer[]
}

/** A save the server acknowledged. */
export interface AnswerSaved {
  seq: number
  saved_at: string
}

/** What a heartbeat answers: the time left on the server's clock and messages from the invigilators. */
export interface HeartbeatReply {
  remaining_seconds: number
  deadline: string
  server_time: string
  status: AttemptStatus
  messages: ExamMessage[]
}

/** A score and its maximum, as decimal strings. */
export interface ScorePart {
  score: string
  max: string
}

/** One item of a result. */
export interface ResultItem {
  id: number
  type: QuestionType
  points: string
  /** Null while a judge has still to mark it. */
  score: string | null
  response: unknown
  /** The right answer, shown only after the exam closes. */
  correct_key?: unknown
}

/** The caller's result in an attempt, with its breakdown by topic and by type. */
export interface AttemptResult {
  attempt_id: number
  exam_id: number
  score: string
  max_score: string
  graded: boolean
  by_topic: (ScorePart & { topic_id: number; topic: string })[]
  by_type: (ScorePart & { type: QuestionType })[]
  items: ResultItem[]
}

// Exam marking (organiser, judges)

/** A judge's part in marking an exam: first/second marks, or adjudication as chief. */
export type MarkerRole = 'marker' | 'chief'

/** A judge assigned to mark an exam. */
export interface ExamMarker {
  user_id: number
  username: string
  name: string
  role: MarkerRole
  assigned_at: string
}

/** Marking progress of one subjective question of an exam. */
export interface MarkingQuestionProgress {
  question_id: number
  version_id: number
  type: QuestionType
  stem: string
  points: string
  total: number
  open: number
  adjudication: number
  final: number
}

/** Marking progress of an exam, as its organiser sees it. */
export interface MarkingProgress {
  exam_id: number
  marking_threshold: string
  attempts_submitted: number
  attempts_final: number
  questions: MarkingQuestionProgress[]
}

/** A subjective question in a judge's queue. */
export interface MarkingQueueQuestion {
  question_id: number
  version_id: number
  type: QuestionType
  stem: string
  points: string
  total: number
  /** Answers this judge may still mark. */
  to_mark: number
  marked_by_me: number
  final: number
}

/** An exam a judge is assigned to, with its questions. */
export interface MarkingQueueExam {
  exam_id: number
  exam_title: string
  role: MarkerRole
  marking_threshold: string
  questions: MarkingQueueQuestion[]
  /** Items awaiting this chief's adjudication (0 for markers). */
  adjudications: number
}

/** A version of a question being marked, with what judges mark against. */
export interface MarkingQuestionVersion {
  version_id: number
  stem: string
  reference_answer: string
  rubric: string
}

/** A judge's own mark. */
export interface MyMark {
  points: string
  comment: string
  marked_at: string
}

/** One anonymous answer to mark: an opaque id, never a name. */
export interface MarkingAnswer {
  id: string
  version_id: number
  /** The item's maximum points. */
  points: string
  response: string | null
  my_mark: MyMark | null
}

/** A page of answers to one question. */
export interface MarkingAnswers {
  question: { question_id: number; type: QuestionType; versions: MarkingQuestionVersion[] }
  items: MarkingAnswer[]
  total: number
}

/** A mark as saved. */
export interface SavedMark {
  id: string
  points: string
  comment: string
  marked_at: string
}

/** One of the two marks an adjudication weighs. */
export interface AdjudicationMark {
  judge: { id: number; name: string }
  points: string
  comment: string
  marked_at: string
}

/** An answer whose two marks differ by more than the exam's threshold. */
export interface Adjudication {
  id: string
  exam_id: number
  exam_title: string
  question_id: number
  version_id: number
  type: QuestionType
  stem: string
  reference_answer: string
  rubric: string
  points: string
  response: string | null
  marks: AdjudicationMark[]
  difference: string
  /** The chief's mark of an answer adjudicated already; null while it awaits the chief. */
  adjudicated: AdjudicationMark | null
  /** The chief's mark may still be corrected (the contestant cannot see the result yet). */
  correctable: boolean
}

/** A saved adjudication. */
export interface SavedAdjudication {
  id: string
  points: string
  comment: string
  adjudicated_at: string
  score: string
}

// Exam results (organisers: results, item analysis, key corrections)

/** One submitted attempt in an exam's result list. */
export interface ExamResultRow {
  attempt_id: number
  number: number
  user_id: number
  username: string
  name: string
  org_unit_id: number
  org_unit_name: string
  /** The score so far (a decimal string); null when nothing is scored yet. */
  score: string | null
  /** Every item is marked: the score is final. */
  graded: boolean
  submitted_at: string | null
  /** `contestant`, `sweeper` or `invigilator`. */
  submitted_by: string
}

/** One item of a result as the contestant saw it, with the key when shown. */
export interface ExamResultItem {
  /** The position on the paper, from 1. */
  id: number
  type: QuestionType
  topic_id: number
  stem: string
  /** In the order shown, lettered as shown. */
  options: QuestionOption[]
  points: string
  /** Null while a judge has still to mark it. */
  score: string | null
  /** The answer last saved, by type as in API.md; null when none. */
  response: unknown
  /** In the letters the contestant saw; objective items, when `keys_shown`. */
  correct_key?: QuestionKey
  explanation?: string
}

/** A score and its maximum by top-level topic. */
export interface ExamResultTopic {
  topic_id: number
  topic: string
  topic_en: string
  score: string
  max: string
}

/** A marked attempt, as an organiser (with the contestant) or its contestant reads it. */
export interface ExamResult {
  attempt_id: number
  exam_id: number
  exam_title: string
  number: number
  submitted_at: string | null
  score: string
  max_score: string
  graded: boolean
  keys_shown: boolean
  contestant?: { user_id: number; username: string; name: string; org_unit_id: number; org_unit_name: string }
  by_topic: ExamResultTopic[]
  by_type: { type: QuestionType; score: string; max: string }[]
  items: ExamResultItem[]
}

/** What releasing an exam's results answers. */
export interface ExamResultsRelease {
  exam_id: number
  results_visibility: ResultsVisibility
  results_released_at: string | null
}

/** How many chose one option of a question (by the question's own letter; `true`/`false` for true/false). */
export interface ExamStatisticsOption {
  key: string
  count: number
  correct: boolean
}

/** Item analysis of one paper position (fixed paper) or one question (drawn papers). */
export interface ExamStatisticsItem {
  /** The paper position of a fixed paper; null for drawn papers. */
  position: number | null
  section: number
  question_id: number
  version_id: number
  type: QuestionType
  topic_id: number
  topic: string
  topic_en: string
  stem: string
  points: string
  /** Attempts whose paper held it. */
  seen: number
  /** Of those, the attempts in which it is marked. */
  n: number
  omitted: number
  mean: number
  /** 0 to 1; null when nothing is marked. */
  facility: number | null
  /** Corrected point-biserial, −1 to 1; null when undefined. */
  discrimination: number | null
  options: ExamStatisticsOption[]
}

/** One bar of the score histogram: scores in [from, to) (the last one [from, to]). */
export interface ExamStatisticsBin {
  from: number
  to: number
  count: number
}

/** An exam's statistics: the distribution, Cronbach's alpha and item analysis. */
export interface ExamStatistics {
  exam_id: number
  paper_mode: PaperMode
  attempts: number
  graded: number
  max_score: string
  distribution: {
    n: number
    mean: number
    median: number
    sd: number
    min: number
    max: number
    bins: ExamStatisticsBin[]
  }
  reliability: {
    alpha: number | null
    items: number
    n: number
    /** Why alpha is not available, or over what it is computed; in the UI language. */
    note: string | null
  }
  items: ExamStatisticsItem[]
}

/** A corrected key of an objective question of an exam (the latest per question). */
export interface ExamKeyCorrection {
  question_id: number
  /** The version the key was taken from; null when the key was given. */
  version_id: number | null
  key: QuestionKey
  reason: string
  created_by: number
  created_at: string
}

/** A key correction: exactly one of `version_id` and `key`. */
export interface ExamRegradeRequest {
  question_id: number
  version_id?: number
  key?: QuestionKey
  reason: string
}

/** How many attempts a key correction regraded and how many scores moved. */
export interface ExamRegradeResult {
  regraded: number
  changed: number
}

// Competition: stages, rosters, the practical draw, the practical round and judging

/** A yearly competition run by an org unit. */
export interface Competition {
  id: number
  org_unit_id: number
  name: string
  year: number
  created_at: string
}

/** A stage of teams (units below the stage's unit) or of individuals. */
export type StageKind = 'teams' | 'individuals'

/** Whom a team's practical contestant is drawn from. */
export type DrawPoolRule = 'written_except_nominee' | 'written'

/** How judges' practical marks combine. */
export type Aggregation = 'mean' | 'trimmed_mean'

/** A figure that breaks a tie of totals. */
export type TieBreakFigure = 'practical' | 'written'

/** A stage's rules (DOMAIN.md); points and weights are decimal strings. */
export interface StageSettings {
  written_roster_size: number
  practical_size: number
  absent_counts_as_zero: boolean
  /** Fractions that add up to "1.00", e.g. "0.40" and "0.60". */
  weights: { written: string; practical: string }
  draw_pool: DrawPoolRule
  aggregation: Aggregation
  discrepancy_threshold: string
  tie_break: TieBreakFigure[] | null
  /** Decimal places of published figures (0 to 2), rounded half up. */
  precision: number
}

/** A stage as the API answers it. */
export interface Stage {
  id: number
  competition_id: number
  /** Only in lists. */
  competition_name?: string
  org_unit_id: number
  /** Only in lists. */
  org_unit_name?: string
  name: string
  kind: StageKind
  settings: StageSettings
  roster_deadline: string | null
  rosters_locked_at: string | null
  written_exam_id: number | null
  previous_stage_id: number | null
  /** The caller runs the stage (false: a team organiser). */
  organiser: boolean
  /** The team units the caller acts for (empty in lists). */
  teams: number[]
  /**
   * The settings that can no longer change, each with why (absent in lists): the
   * rule by which the server refuses a change, so the form shows them as fixed.
   */
  fixed_settings?: Partial<Record<keyof StageSettings, StageFixedReason>>
}

/** Why a stage setting can no longer change. */
export type StageFixedReason = 'rosters_locked' | 'draw_committed' | 'ranking_published'

/** A new stage. */
export interface StageCreate {
  competition_id: number
  org_unit_id: number
  name: string
  kind: StageKind
  settings: StageSettings
  roster_deadline: string | null
  team_unit_ids: number[]
}

/** A change of a stage; what is left out keeps its value. */
export interface StageUpdate {
  name?: string
  roster_deadline?: string | null
  settings?: Partial<StageSettings>
}

/** A contestant on a roster. */
export interface RosterMember {
  user_id: number
  username: string
  name: string
}

/** One team's contestants in a stage. */
export interface Roster {
  team_id: number
  team_name: string
  written: RosterMember[]
  nominee: RosterMember | null
  drawn: RosterMember | null
}

/** A substitution after the rosters are locked. */
export interface RosterSubstitution {
  out: number
  in: number
  slot: 'written' | 'nominee'
  reason: string
}

/** The stage's written exam (as a new exam, without owner, kind, attempts and visibility). */
export interface StageWrittenExamCreate {
  title: string
  instructions: string
  opens_at: string
  closes_at: string
  duration_minutes: number
  grace_seconds: number
  blueprint_id: number
  bank_ids: number[]
  paper_mode: PaperMode
  shuffle_questions: boolean
  shuffle_options: boolean
  partial_credit: boolean
  marking_threshold: string
}

/** One team's pool at a draw: user ids, ascending. */
export interface DrawTeamPool {
  team_id: number
  pool: number[]
}

/** One team's drawn contestant. */
export interface DrawTeamResult {
  team_id: number
  contestant_id: number
}

/** A committed, and perhaps performed, practical draw (docs/DRAW.md). */
export interface Draw {
  version: string
  /** 1 for the first draw, then 2, 3, … for redraws. */
  number: number
  /** SHA-256 of the secret seed, lower-case hex. */
  commitment: string
  committed_at: string
  /** Why the stage was redrawn; empty for the first draw. */
  reason: string
  /** Revealed when performed. */
  seed: string | null
  entropy: string | null
  drawn_at: string | null
  teams: DrawTeamPool[]
  result: DrawTeamResult[]
}

/** The public answer of /public/stages/{id}/draw. */
/** An id with its name, as the public draw names teams and contestants. */
export interface DrawName {
  id: number
  name: string
}

export interface PublicDraw {
  stage_id: number
  stage_name: string
  competition: string
  draw: Draw
  earlier: Draw[]
  redrawn: boolean
  names: { teams: DrawName[]; contestants: DrawName[] }
}

/** A rubric criterion: measured (any figure up to the maximum) or judged (one value of a scale). */
export type CriterionKind = 'measurement' | 'judgement'

export interface PracticalCriterion {
  id: number
  name: string
  kind: CriterionKind
  max_points: string
  /** For judgements: 2 to 21 ascending values from 0 up ending at the maximum; empty for measurements. */
  scale: string[]
}

/** A practical task with its rubric. */
export interface PracticalTask {
  id: number
  stage_id: number
  name: string
  description: string
  max_total: string
  criteria: PracticalCriterion[]
  created_at: string
}

/** A new task. */
export interface PracticalTaskCreate {
  name: string
  description: string
  criteria: { name: string; kind: CriterionKind; max_points: string; scale?: string[] }[]
}

/** A person as the practical API names them. */
export interface PracticalPerson {
  id: number
  username: string
  name: string
}

/** A practical contestant, with their team. */
export interface PracticalContestant extends PracticalPerson {
  team: { id: number; name: string } | null
}

/** A station with its judges and contestants. */
export interface PracticalStation {
  id: number
  stage_id: number
  task_id: number
  task_name: string
  name: string
  judges: (PracticalPerson & { chief: boolean })[]
  contestants: PracticalPerson[]
}

/** One criterion mark. */
export interface PracticalMark {
  id: number
  criterion_id: number
  points: string
  comment: string
  updated_at: string
}

/** A judge's signed-off marks of a contestant. */
export interface PracticalJudgeMarks {
  judge: PracticalPerson
  total: string
  marks: PracticalMark[]
}

/** A station the calling judge sits on, with the contestants they mark there. */
export interface JudgingStation {
  id: number
  name: string
  stage_id: number
  stage_name: string
  /** The caller is the stage's chief judge. */
  chief: boolean
  task: PracticalTask
  contestants: (PracticalContestant & { marked: number; signed_off: boolean })[]
}

/** The calling judge's sheet of one contestant. */
export interface JudgeSheet {
  stage_id: number
  stage_name: string
  station: { id: number; name: string }
  task: PracticalTask
  contestant: PracticalContestant
  marks: PracticalMark[]
  total: string
  signed_off_at: string | null
  /** The other judges' signed-off marks; empty until the caller signs off. */
  others: PracticalJudgeMarks[]
  /** Why the caller was sent back to re-mark, until they sign off again; null otherwise. */
  remark_reason: string | null
}

/** A contestant whose judges' totals differ by more than the threshold. */
export interface PracticalDiscrepancy {
  contestant: PracticalContestant
  station: { id: number; name: string }
  /** The rubric of the station's task, naming the criteria of the marks. */
  criteria: PracticalCriterion[]
  judges: PracticalJudgeMarks[]
  spread: string
  threshold: string
}

/** A contestant's practical score and the marks behind it. */
export interface PracticalResult {
  contestant: PracticalContestant
  station: { id: number; name: string } | null
  score: string | null
  /** The exact score as a fraction, e.g. "481/6". */
  exact: string | null
  complete: boolean
  discrepancy: boolean
  totals: { judge_id: number; total: string | null; signed_off: boolean }[]
  judges: PracticalJudgeMarks[]
  pending: PracticalPerson[]
}

// Rankings: draft and published results, publication, the live board, appeals, selection

/** Which ranking of a stage. */
export type RankingKind = 'team' | 'individual'

/** A team, unit or contestant named in a ranking. */
export interface RankingRef {
  id: number
  name: string
}

/** The stage rules a ranking is computed with (figures are decimal strings). */
export interface RankingStage {
  id: number
  name: string
  kind: StageKind
  /** Decimal places of every published figure (0 to 2), each rounded once, half up. */
  precision: number
  weights: { written: string; practical: string }
  written_roster_size: number
  practical_size: number
  absent_counts_as_zero: boolean
  aggregation: Aggregation
  tie_break: TieBreakFigure[] | null
}

/** A team member's published figures. */
export interface RankingMember {
  contestant: RankingRef
  /** Null when absent or not on the written roster. */
  written: string | null
  /** Null when not a practical contestant or without signed-off marks. */
  practical: string | null
  absent: boolean
  in_written: boolean
  practical_role: 'nominee' | 'drawn' | null
  /** A figure is not final yet. */
  pending: boolean
}

/** A row of the team ranking. */
export interface RankingTeamRow {
  rank: number
  team: RankingRef
  written: string
  practical: string
  total: string
  members: RankingMember[]
  pending: boolean
}

/** A row of the individual ranking. */
export interface RankingIndividualRow {
  rank: number
  contestant: RankingRef
  team: RankingRef | null
  /** The contestant's own org unit. */
  unit: RankingRef
  written: string | null
  practical: string | null
  total: string
  absent: boolean
  /** The signed-off judges' totals behind `practical`, lowest first. */
  practical_judges: string[]
  pending: boolean
}

/** A ranking as the API answers it: the draft (`published_version` null) or a published version. */
export interface Ranking<Row = RankingTeamRow | RankingIndividualRow> {
  stage: RankingStage
  kind: RankingKind
  published_version: number | null
  published_at: string | null
  note: string | null
  /** Contestants with a figure that is not final. */
  pending: number
  computed_at: string
  /** Public results only. */
  competition?: string
  items: Row[]
}

/** A published version. */
export interface Publication {
  version: number
  note: string
  sha256: string
  pending: number
  appeal_until: string | null
  published_by: number
  published_by_name: string
  published_at: string
}

/** What publishing asks for. */
export interface PublicationRequest {
  note?: string
  appeal_hours?: number
  allow_pending?: boolean
}

/** A contestant on the live board: the score from the judges who have signed off. */
export interface LiveContestant {
  contestant: RankingRef
  team: RankingRef | null
  practical: string | null
  judges: string[]
  complete: boolean
}

/** The data of the live board's `board` events. */
export interface LiveBoard {
  stage: RankingRef
  precision: number
  aggregation: Aggregation
  scored: number
  complete: number
  contestants: LiveContestant[]
  server_time: string
}

export type AppealStatus = 'open' | 'assigned' | 'resolved'
export type AppealOutcome = 'changed' | 'unchanged'

/** Someone named by an appeal. */
export interface AppealUser {
  id: number
  username: string
  name: string
}

/** A contestant's appeal against a published version. */
export interface Appeal {
  id: number
  stage_id: number
  stage_name: string
  contestant: AppealUser
  /** The published version appealed against. */
  version: number
  reason: string
  status: AppealStatus
  assignee: AppealUser | null
  assign_note: string
  assigned_at: string | null
  outcome: AppealOutcome | null
  outcome_note: string
  resolved_at: string | null
  /** The version that published the changed score. */
  result_version: number | null
  created_at: string
}

export type SelectionRuleKind = 'top_per_unit' | 'top_overall' | 'by_hand'

/** A stage's advancement rule. */
export interface SelectionRule {
  kind: SelectionRuleKind
  k?: number
  n?: number
}

/** A contestant of a selection (or of the next stage's candidate pool). */
export interface SelectionRow {
  contestant: RankingRef
  team: RankingRef | null
  /** The unit the contestant is selected in. */
  unit: RankingRef
  place: number
  place_in_unit: number
  total: string
  selected: boolean
  by_hand: boolean
  reason: string
}

/** A stage's selection, proposed or confirmed. */
export interface Selection {
  stage_id: number
  rule: SelectionRule
  /** The published version it was made from. */
  version: number
  selected: number
  updated_at: string
  confirmed_at: string | null
  items: SelectionRow[]
}

/** A choice made by hand, with its reason. */
export interface SelectionChoice {
  user_id: number
  selected: boolean
  reason: string
}
