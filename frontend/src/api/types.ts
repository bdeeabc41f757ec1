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
