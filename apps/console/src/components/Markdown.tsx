import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';

// The documents sit under the page's own headings: their # is a third-level heading, and so on down.
const shifted: Components = {
  h1: ({ node: _n, ...p }) => <h3 {...p} />,
  h2: ({ node: _n, ...p }) => <h4 {...p} />,
  h3: ({ node: _n, ...p }) => <h5 {...p} />,
  h4: ({ node: _n, ...p }) => <h6 {...p} />,
};

/** Markdown the services generate, rendered as elements; raw HTML in it is dropped, never injected. */
export function Markdown({ children }: { children: string }) {
  return (
    <div className="markdown">
      <ReactMarkdown remarkPlugins={[remarkGfm]} skipHtml components={shifted}>
        {children}
      </ReactMarkdown>
    </div>
  );
}
