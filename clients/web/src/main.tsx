import { ApolloProvider } from "@apollo/client/react";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { apolloClient } from "./api/client.ts";
import { startSession } from "./api/session.ts";
import { App, preloadPage } from "./app.tsx";
import "./styles.css";

void startSession();
preloadPage(location.pathname);

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <ApolloProvider client={apolloClient}>
      <App />
    </ApolloProvider>
  </StrictMode>,
);
