// HTML from the server is sanitised there; it is sanitised again here before any
// v-html (defence in depth), and turned into plain text for diffs and lists.
import DOMPurify from 'dompurify'

/** The markup question stems, options and study material may use. */
const ALLOWED_TAGS = [
  'p', 'br', 'b', 'strong', 'i', 'em', 'u', 's', 'sub', 'sup', 'ul', 'ol', 'li', 'blockquote', 'pre', 'code',
  'h2', 'h3', 'h4', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'img', 'span', 'div', 'a', 'hr',
]
const ALLOWED_ATTR = ['src', 'alt', 'title', 'width', 'height', 'href', 'colspan', 'rowspan']

/** Only images of our own asset store (or inline data) may be shown. */
function safeImageSource(src: string): boolean {
  return /^\/api\/v1\/assets\/[\w-]+$/.test(src) || /^data:image\/(png|jpeg|gif);base64,/i.test(src)
}

let hooked = false

function hook(): void {
  if (hooked || typeof DOMPurify.addHook !== 'function') return
  hooked = true
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName === 'IMG') {
      const src = node.getAttribute('src') ?? ''
      if (!safeImageSource(src)) node.removeAttribute('src')
    }
    if (node.nodeName === 'A') {
      node.setAttribute('rel', 'noopener noreferrer')
      node.setAttribute('target', '_blank')
    }
  })
}

/** Sanitises HTML for v-html. */
export function sanitizeHtml(html: string | null | undefined): string {
  if (!html) return ''
  hook()
  return DOMPurify.sanitize(html, { ALLOWED_TAGS, ALLOWED_ATTR, ALLOW_DATA_ATTR: false })
}

/** Escapes text for use inside HTML. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

const ENTITIES: Record<string, string> = { nbsp: ' ', lt: '<', gt: '>', amp: '&', quot: '"', '#39': "'", apos: "'" }

/**
 * Plain text of an HTML fragment: block ends and <br> become line breaks, images
 * become `imageLabel`, other tags go and the common entities are decoded.
 */
export function htmlToText(html: string | null | undefined, imageLabel = '[图片]'): string {
  if (!html) return ''
  return html
    .replace(/<img\b[^>]*>/gi, imageLabel)
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|h[1-6]|tr|blockquote|pre)>/gi, '\n')
    .replace(/<li\b[^>]*>/gi, '• ')
    .replace(/<[^>]*>/g, '')
    .replace(/&(nbsp|lt|gt|amp|quot|#39|apos);/g, (_m, name: string) => ENTITIES[name] ?? '')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}
