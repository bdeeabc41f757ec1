import type { UploadFile, UploadInstance, UploadRawFile } from 'element-plus'
import { ref, type Ref } from 'vue'

/**
 * The one file chosen in an el-upload that does not send it by itself
 * (`:auto-upload="false" :limit="1"`, its template ref `uploadRef`): bind `onChange`,
 * `onRemove` and `onExceed` as its handlers. Choosing another file replaces the one
 * chosen before; `changed` runs whenever the choice changes.
 */
export function useChosenFile(uploadRef: Ref<UploadInstance | undefined>, changed: (file: File | null) => void) {
  const file = ref<File | null>(null)

  function onChange(upload: UploadFile) {
    file.value = upload.raw ?? null
    changed(file.value)
  }

  function onRemove() {
    file.value = null
    changed(null)
  }

  function onExceed(files: File[]) {
    const next = files[0]
    if (!next || !uploadRef.value) return
    uploadRef.value.clearFiles()
    const raw = next as UploadRawFile
    raw.uid = Date.now()
    uploadRef.value.handleStart(raw)
  }

  /** Forgets the file (the dialog starts again). */
  function clear() {
    file.value = null
    uploadRef.value?.clearFiles()
  }

  return { file, onChange, onRemove, onExceed, clear }
}
