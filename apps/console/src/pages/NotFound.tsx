import { Link } from 'react-router';

export function NotFound() {
  return (
    <section>
      <h1>Nothing here</h1>
      <p>
        This address is not a page of the console. <Link to="/">Back to the releases</Link>.
      </p>
    </section>
  );
}
