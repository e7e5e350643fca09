import ReactMarkdown from 'react-markdown';
import remarkGfm from 'remark-gfm';

/** Markdown the services generate, rendered as elements; raw HTML in it is dropped, never injected. */
export function Markdown({ children }: { children: string }) {
  return (
    <div className="markdown">
      <ReactMarkdown remarkPlugins={[remarkGfm]} skipHtml>
        {children}
      </ReactMarkdown>
    </div>
  );
}
