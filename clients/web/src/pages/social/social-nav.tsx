import { NavLink } from "react-router";

const LINKS = [
  { to: "/social/queue", label: "Queue" },
  { to: "/social/compose", label: "Compose" },
  { to: "/social/suggestions", label: "Suggestions" },
  { to: "/social/accounts", label: "Accounts" },
];

/** The social section's own tabs, above each of its pages. */
export function SocialNav() {
  return (
    <nav aria-label="Social" className="inbox-tabs social-nav">
      <ul>
        {LINKS.map((link) => (
          <li key={link.to}>
            <NavLink to={link.to} end>
              {link.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
