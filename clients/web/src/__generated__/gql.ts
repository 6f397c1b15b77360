/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment SessionFields on AuthPayload {\n    accessToken\n    expiresAt\n    role\n    user {\n      id\n      name\n      email\n    }\n    workspace {\n      id\n      name\n    }\n  }\n": typeof types.SessionFieldsFragmentDoc,
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      ...SessionFields\n    }\n  }\n": typeof types.SignUpDocument,
    "\n  mutation LogIn($input: LogInInput!) {\n    logIn(input: $input) {\n      ...SessionFields\n    }\n  }\n": typeof types.LogInDocument,
    "\n  mutation RefreshSession {\n    refreshSession {\n      ...SessionFields\n    }\n  }\n": typeof types.RefreshSessionDocument,
    "\n  mutation SwitchWorkspace($workspaceId: ID!) {\n    switchWorkspace(workspaceId: $workspaceId) {\n      ...SessionFields\n    }\n  }\n": typeof types.SwitchWorkspaceDocument,
    "\n  mutation LogOut {\n    logOut\n  }\n": typeof types.LogOutDocument,
    "\n  query MyWorkspaces {\n    me {\n      id\n      memberships {\n        role\n        workspace {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.MyWorkspacesDocument,
    "\n  fragment AgentForm_agent on Agent {\n    id\n    name\n    provider\n    model\n    instructions\n    tools\n    updatedAt\n  }\n": typeof types.AgentForm_AgentFragmentDoc,
    "\n  mutation AgentFormCreate($input: CreateAgentInput!) {\n    createAgent(input: $input) {\n      id\n      ...AgentForm_agent\n    }\n  }\n": typeof types.AgentFormCreateDocument,
    "\n  mutation AgentFormUpdate($id: ID!, $input: UpdateAgentInput!) {\n    updateAgent(id: $id, input: $input) {\n      id\n      ...AgentForm_agent\n    }\n  }\n": typeof types.AgentFormUpdateDocument,
    "\n  query AgentPageAgent($id: ID!, $runsFirst: Int, $runsAfter: String) {\n    agent(id: $id) {\n      id\n      name\n      ...AgentForm_agent\n      runs(first: $runsFirst, after: $runsAfter) {\n        edges {\n          cursor\n          node {\n            id\n            ...RunHistoryRow_run\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": typeof types.AgentPageAgentDocument,
    "\n  mutation AgentPageDelete($id: ID!) {\n    deleteAgent(id: $id)\n  }\n": typeof types.AgentPageDeleteDocument,
    "\n  fragment AgentsTableRow_agent on Agent {\n    id\n    name\n    provider\n    model\n    runs(first: 1) {\n      edges {\n        node {\n          id\n          status\n          createdAt\n        }\n      }\n    }\n  }\n": typeof types.AgentsTableRow_AgentFragmentDoc,
    "\n  query AgentsPageAgents($first: Int, $after: String) {\n    agents(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          ...AgentsTableRow_agent\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.AgentsPageAgentsDocument,
    "\n  fragment RunHistoryRow_run on AgentRun {\n    id\n    status\n    input\n    createdAt\n    startedAt\n    finishedAt\n  }\n": typeof types.RunHistoryRow_RunFragmentDoc,
    "\n  subscription RunOutputEvents($runId: ID!, $after: String) {\n    agentRunEvents(runId: $runId, after: $after) {\n      cursor\n      type\n      delta\n      status\n      error\n      at\n      toolCall {\n        id\n        name\n        arguments\n        result\n        error\n      }\n    }\n  }\n": typeof types.RunOutputEventsDocument,
    "\n  fragment RunSummary_run on AgentRun {\n    id\n    input\n    createdAt\n    startedAt\n    finishedAt\n    tokensUsed\n    error\n    startedBy {\n      id\n      name\n    }\n  }\n": typeof types.RunSummary_RunFragmentDoc,
    "\n  query RunPageRun($id: ID!) {\n    agentRun(id: $id) {\n      id\n      status\n      output\n      agent {\n        id\n        name\n      }\n      ...RunSummary_run\n    }\n  }\n": typeof types.RunPageRunDocument,
    "\n  mutation RunPageCancel($id: ID!) {\n    cancelAgentRun(id: $id) {\n      id\n      status\n      output\n      ...RunSummary_run\n    }\n  }\n": typeof types.RunPageCancelDocument,
    "\n  mutation StartRunFormStart($input: StartAgentRunInput!) {\n    startAgentRun(input: $input) {\n      id\n      status\n      input\n      createdAt\n      startedAt\n      finishedAt\n    }\n  }\n": typeof types.StartRunFormStartDocument,
    "\n  query BillingPage {\n    workspace {\n      id\n      plan {\n        name\n      }\n      subscription {\n        id\n        status\n        ...SubscriptionSummary_subscription\n      }\n      ...UsageMeters_workspace\n    }\n    plans {\n      name\n      ...PlanCard_plan\n    }\n  }\n": typeof types.BillingPageDocument,
    "\n  mutation BillingCreateCheckoutSession($plan: PlanName!) {\n    createCheckoutSession(plan: $plan) {\n      id\n      url\n    }\n  }\n": typeof types.BillingCreateCheckoutSessionDocument,
    "\n  mutation BillingCancelSubscription {\n    cancelSubscription {\n      id\n      ...SubscriptionSummary_subscription\n    }\n  }\n": typeof types.BillingCancelSubscriptionDocument,
    "\n  fragment InvoiceRow_invoice on Invoice {\n    id\n    number\n    status\n    hostedInvoiceUrl\n    createdAt\n    periodStart\n    periodEnd\n    amountDue {\n      amount\n      currency\n    }\n    amountPaid {\n      amount\n      currency\n    }\n  }\n": typeof types.InvoiceRow_InvoiceFragmentDoc,
    "\n  query BillingInvoices($first: Int!, $after: String) {\n    invoices(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          ...InvoiceRow_invoice\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.BillingInvoicesDocument,
    "\n  fragment PlanCard_plan on Plan {\n    name\n    monthlyPrice {\n      amount\n      currency\n    }\n    limits {\n      contacts\n      agents\n      apiCallsPerMonth\n      socialAccounts\n      storageGb\n    }\n  }\n": typeof types.PlanCard_PlanFragmentDoc,
    "\n  fragment SubscriptionSummary_subscription on BillingSubscription {\n    id\n    plan\n    status\n    cancelAtPeriodEnd\n    currentPeriodEnd\n  }\n": typeof types.SubscriptionSummary_SubscriptionFragmentDoc,
    "\n  fragment UsageMeters_workspace on Workspace {\n    plan {\n      name\n      limits {\n        contacts\n        agents\n        apiCallsPerMonth\n      }\n    }\n    usage {\n      contacts\n      agents\n      apiCallsThisPeriod\n      periodEnd\n    }\n  }\n": typeof types.UsageMeters_WorkspaceFragmentDoc,
    "\n  query CalendarView($from: DateTimeISO!, $to: DateTimeISO!, $timeZone: String!) {\n    calendars {\n      id\n      name\n      kind\n    }\n    events(from: $from, to: $to) {\n      start\n      end\n      recurrenceId\n      seriesId\n      event {\n        id\n        title\n        timeZone\n        start\n        recurringEventId\n        recurrence {\n          rrule\n          exdates\n          rdates\n        }\n      }\n      ...TimeGrid_occurrence\n      ...EventEditor_occurrence\n    }\n  }\n": typeof types.CalendarViewDocument,
    "\n  fragment ConflictList_conflict on EventConflict {\n    user {\n      id\n      name\n    }\n    occurrence {\n      start\n      end\n    }\n    conflictingWith {\n      start\n      end\n      seriesId\n      event {\n        id\n        title\n      }\n    }\n  }\n": typeof types.ConflictList_ConflictFragmentDoc,
    "\n  fragment EventEditor_occurrence on EventOccurrence {\n    start\n    end\n    startDate\n    endDate\n    recurrenceId\n    seriesId\n    event {\n      id\n      title\n      description\n      location\n      allDay\n      timeZone\n      start\n      end\n      startDate\n      endDate\n      recurringEventId\n      recurrence {\n        rrule\n        exdates\n        rdates\n      }\n      calendar {\n        id\n      }\n      attendees {\n        name\n        rsvp\n        user {\n          id\n        }\n        correspondent {\n          email\n        }\n      }\n    }\n  }\n": typeof types.EventEditor_OccurrenceFragmentDoc,
    "\n  mutation CalendarCreateEvent($calendarId: ID!, $input: EventInput!) {\n    createEvent(calendarId: $calendarId, input: $input) {\n      event {\n        id\n        title\n      }\n      conflicts {\n        ...ConflictList_conflict\n      }\n    }\n  }\n": typeof types.CalendarCreateEventDocument,
    "\n  mutation CalendarUpdateEvent($id: ID!, $input: EventInput!, $scope: EventEditScope!, $occurrence: DateTimeISO) {\n    updateEvent(id: $id, input: $input, scope: $scope, occurrence: $occurrence) {\n      event {\n        id\n        title\n        start\n        end\n        updatedAt\n      }\n      conflicts {\n        ...ConflictList_conflict\n      }\n    }\n  }\n": typeof types.CalendarUpdateEventDocument,
    "\n  mutation CalendarDeleteEvent($id: ID!, $scope: EventEditScope!, $occurrence: DateTimeISO) {\n    deleteEvent(id: $id, scope: $scope, occurrence: $occurrence)\n  }\n": typeof types.CalendarDeleteEventDocument,
    "\n  query CalendarFreeSlots(\n    $attendeeIds: [ID!]!\n    $durationMinutes: Int!\n    $from: DateTimeISO!\n    $to: DateTimeISO!\n    $bufferMinutes: Int!\n  ) {\n    freeSlots(\n      attendeeIds: $attendeeIds\n      durationMinutes: $durationMinutes\n      from: $from\n      to: $to\n      bufferMinutes: $bufferMinutes\n      granularityMinutes: 15\n      first: 50\n    ) {\n      slots {\n        start\n        end\n      }\n      attendees {\n        id\n        name\n      }\n    }\n  }\n": typeof types.CalendarFreeSlotsDocument,
    "\n  query CalendarMoveConflicts($id: ID!, $start: DateTimeISO!, $end: DateTimeISO!) {\n    eventMoveConflicts(id: $id, start: $start, end: $end) {\n      ...ConflictList_conflict\n    }\n  }\n": typeof types.CalendarMoveConflictsDocument,
    "\n  mutation CalendarMoveEvent($id: ID!, $input: EventInput!, $scope: EventEditScope!, $occurrence: DateTimeISO) {\n    updateEvent(id: $id, input: $input, scope: $scope, occurrence: $occurrence) {\n      event {\n        id\n        start\n        end\n        updatedAt\n      }\n      conflicts {\n        ...ConflictList_conflict\n      }\n    }\n  }\n": typeof types.CalendarMoveEventDocument,
    "\n  query CalendarSeriesTiming($id: ID!) {\n    event(id: $id) {\n      id\n      start\n      end\n      startDate\n      timeZone\n      recurrence {\n        rrule\n        exdates\n        rdates\n      }\n    }\n  }\n": typeof types.CalendarSeriesTimingDocument,
    "\n  fragment TimeGrid_occurrence on EventOccurrence {\n    seriesId\n    recurrenceId\n    allDay\n    startDate\n    endDate\n    localStart(timeZone: $timeZone)\n    localEnd(timeZone: $timeZone)\n    event {\n      id\n      title\n      location\n      status\n      recurringEventId\n      recurrence {\n        rrule\n      }\n    }\n  }\n": typeof types.TimeGrid_OccurrenceFragmentDoc,
    "\n  query CalendarWorkspacePeople {\n    workspace {\n      id\n      members(first: 100) {\n        edges {\n          node {\n            user {\n              id\n              name\n              email\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.CalendarWorkspacePeopleDocument,
    "\n  fragment CompanyRow_company on Company {\n    id\n    name\n    domain\n    industry\n    size\n  }\n": typeof types.CompanyRow_CompanyFragmentDoc,
    "\n  query CompaniesPage($after: String) {\n    companies(first: 20, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          ...CompanyRow_company\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.CompaniesPageDocument,
    "\n  mutation CompaniesPageCreate($input: CreateCompanyInput!) {\n    createCompany(input: $input) {\n      id\n      name\n    }\n  }\n": typeof types.CompaniesPageCreateDocument,
    "\n  fragment ContactForm_contact on Contact {\n    id\n    name\n    emails\n    phones\n    title\n    company {\n      id\n      name\n    }\n  }\n": typeof types.ContactForm_ContactFragmentDoc,
    "\n  query ContactFormCompanies {\n    companies(first: 100) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.ContactFormCompaniesDocument,
    "\n  mutation ContactFormCreate($input: CreateContactInput!) {\n    createContact(input: $input) {\n      id\n      name\n    }\n  }\n": typeof types.ContactFormCreateDocument,
    "\n  mutation ContactFormUpdate($id: ID!, $input: UpdateContactInput!) {\n    updateContact(id: $id, input: $input) {\n      id\n      ...ContactForm_contact\n      ...ContactPageDetails_contact\n    }\n  }\n": typeof types.ContactFormUpdateDocument,
    "\n  query ContactPage($id: ID!, $after: String) {\n    contact(id: $id) {\n      id\n      name\n      ...ContactPageDetails_contact\n      ...ContactForm_contact\n      timeline(first: 20, after: $after) {\n        edges {\n          cursor\n          node {\n            id\n            occurredAt\n            ...TimelineItem_activity\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": typeof types.ContactPageDocument,
    "\n  fragment ContactPageDetails_contact on Contact {\n    id\n    name\n    emails\n    phones\n    title\n    tags\n    createdAt\n    updatedAt\n    company {\n      id\n      name\n      domain\n    }\n    owner {\n      id\n      name\n    }\n  }\n": typeof types.ContactPageDetails_ContactFragmentDoc,
    "\n  mutation ContactPageDelete($id: ID!) {\n    deleteContact(id: $id)\n  }\n": typeof types.ContactPageDeleteDocument,
    "\n  fragment TimelineItem_activity on Activity {\n    id\n    type\n    subject\n    body\n    occurredAt\n    author {\n      id\n      name\n    }\n  }\n": typeof types.TimelineItem_ActivityFragmentDoc,
    "\n  mutation LogActivityForm($input: LogActivityInput!) {\n    logActivity(input: $input) {\n      id\n      occurredAt\n      ...TimelineItem_activity\n    }\n  }\n": typeof types.LogActivityFormDocument,
    "\n  fragment ContactRow_contact on Contact {\n    id\n    name\n    emails\n    phones\n    title\n    company {\n      id\n      name\n    }\n  }\n": typeof types.ContactRow_ContactFragmentDoc,
    "\n  query ContactsPage($search: String, $companyId: ID, $after: String) {\n    contacts(search: $search, filter: { companyId: $companyId }, first: 20, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          ...ContactRow_contact\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n    workspace {\n      id\n      plan {\n        name\n        limits {\n          contacts\n        }\n      }\n      usage {\n        contacts\n      }\n    }\n  }\n": typeof types.ContactsPageDocument,
    "\n  query ContactsPageCompany($id: ID!) {\n    company(id: $id) {\n      id\n      name\n    }\n  }\n": typeof types.ContactsPageCompanyDocument,
    "\n  fragment DealCard_deal on Deal {\n    id\n    title\n    stage\n    expectedCloseDate\n    amount {\n      amount\n      currency\n    }\n    contact {\n      id\n      name\n    }\n    company {\n      id\n      name\n    }\n  }\n": typeof types.DealCard_DealFragmentDoc,
    "\n  query DealsBoard($after: String) {\n    deals(first: 100, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          title\n          stage\n          amount {\n            amount\n            currency\n          }\n          ...DealCard_deal\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n    workspace {\n      id\n      pipeline {\n        stage\n        count\n        totals {\n          amount\n          currency\n        }\n      }\n    }\n  }\n": typeof types.DealsBoardDocument,
    "\n  query DealsBoardPipeline {\n    workspace {\n      id\n      pipeline {\n        stage\n        count\n        totals {\n          amount\n          currency\n        }\n      }\n    }\n  }\n": typeof types.DealsBoardPipelineDocument,
    "\n  mutation DealsBoardMove($id: ID!, $stage: DealStage!) {\n    moveDeal(id: $id, stage: $stage) {\n      id\n      stage\n      updatedAt\n    }\n  }\n": typeof types.DealsBoardMoveDocument,
    "\n  query NewDealContacts {\n    contacts(first: 100) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.NewDealContactsDocument,
    "\n  mutation NewDealCreate($input: CreateDealInput!) {\n    createDeal(input: $input) {\n      id\n      title\n      stage\n      amount {\n        amount\n        currency\n      }\n      ...DealCard_deal\n    }\n  }\n": typeof types.NewDealCreateDocument,
    "\n  fragment AttachmentList_message on Message {\n    id\n    attachments {\n      part\n      filename\n      contentType\n      size\n    }\n  }\n": typeof types.AttachmentList_MessageFragmentDoc,
    "\n  query AttachmentContent($id: ID!, $part: String!) {\n    message(id: $id) {\n      id\n      attachment(part: $part) {\n        part\n        content\n      }\n    }\n  }\n": typeof types.AttachmentContentDocument,
    "\n  mutation ConnectAccountDialog($input: ConnectMailAccountInput!) {\n    connectMailAccount(input: $input) {\n      id\n      address\n      syncState\n      folders {\n        id\n        path\n        role\n      }\n    }\n  }\n": typeof types.ConnectAccountDialogDocument,
    "\n  query ContactMessages($id: ID!, $after: String) {\n    contact(id: $id) {\n      id\n      messages(first: 10, after: $after) {\n        edges {\n          cursor\n          node {\n            id\n            subject\n            snippet\n            sentAt\n            seen\n            from {\n              email\n              name\n            }\n            thread {\n              id\n            }\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": typeof types.ContactMessagesDocument,
    "\n  fragment DraftEditor_draft on Draft {\n    id\n    subject\n    body\n    state\n    sentAt\n    sendError\n    updatedAt\n    inReplyTo\n    toAddresses {\n      name\n      email\n    }\n    ccAddresses {\n      name\n      email\n    }\n    account {\n      id\n      address\n    }\n  }\n": typeof types.DraftEditor_DraftFragmentDoc,
    "\n  query DraftReplyDraft($id: ID!) {\n    draft(id: $id) {\n      id\n      ...DraftEditor_draft\n    }\n  }\n": typeof types.DraftReplyDraftDocument,
    "\n  query DraftReplyOpenDrafts {\n    drafts(first: 50) {\n      edges {\n        node {\n          id\n          state\n          replyToMessageId\n          updatedAt\n        }\n      }\n    }\n  }\n": typeof types.DraftReplyOpenDraftsDocument,
    "\n  mutation DraftReplyWrite($messageId: ID!, $instructions: String) {\n    draftReply(messageId: $messageId, instructions: $instructions) {\n      id\n      ...DraftEditor_draft\n    }\n  }\n": typeof types.DraftReplyWriteDocument,
    "\n  mutation DraftEditorUpdate($id: ID!, $input: UpdateDraftInput!) {\n    updateDraft(id: $id, input: $input) {\n      id\n      ...DraftEditor_draft\n    }\n  }\n": typeof types.DraftEditorUpdateDocument,
    "\n  mutation DraftEditorSend($id: ID!) {\n    sendDraft(id: $id) {\n      id\n      ...DraftEditor_draft\n    }\n  }\n": typeof types.DraftEditorSendDocument,
    "\n  subscription InboxPageEvents($after: String) {\n    inboxEvents(after: $after) {\n      cursor\n      type\n      syncState\n      account {\n        id\n        syncState\n        syncError\n        lastSyncedAt\n        folders {\n          id\n          path\n          role\n        }\n      }\n      message {\n        id\n        subject\n        from {\n          email\n          name\n        }\n        ...InboxListNode_message\n      }\n    }\n  }\n": typeof types.InboxPageEventsDocument,
    "\n  fragment InboxListNode_message on Message {\n    id\n    sentAt\n    category\n    folder {\n      id\n    }\n    account {\n      id\n      folders {\n        id\n      }\n    }\n    ...MessageRow_message\n  }\n": typeof types.InboxListNode_MessageFragmentDoc,
    "\n  query InboxMessages($filter: MessageFilter!, $after: String) {\n    messages(filter: $filter, first: 25, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          ...InboxListNode_message\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.InboxMessagesDocument,
    "\n  query InboxAccounts {\n    inboxEventsCursor\n    mailAccounts(first: 100) {\n      edges {\n        node {\n          id\n          address\n          displayName\n          syncState\n          syncError\n          lastSyncedAt\n          folders {\n            id\n            path\n            role\n          }\n        }\n      }\n    }\n  }\n": typeof types.InboxAccountsDocument,
    "\n  mutation InboxPageMark($ids: [ID!]!, $seen: Boolean!) {\n    markMessages(ids: $ids, seen: $seen) {\n      id\n      seen\n    }\n  }\n": typeof types.InboxPageMarkDocument,
    "\n  mutation InboxPageArchive($ids: [ID!]!) {\n    archiveMessages(ids: $ids) {\n      id\n      ...InboxListNode_message\n    }\n  }\n": typeof types.InboxPageArchiveDocument,
    "\n  fragment MessageRow_message on Message {\n    id\n    subject\n    snippet\n    sentAt\n    seen\n    flagged\n    category\n    from {\n      email\n      name\n    }\n    thread {\n      id\n      messageCount\n    }\n    attachments {\n      part\n    }\n  }\n": typeof types.MessageRow_MessageFragmentDoc,
    "\n  mutation RecategorizeMenu($messageId: ID!, $category: MessageCategory!) {\n    recategorize(messageId: $messageId, category: $category) {\n      message {\n        id\n        category\n        urgency\n        triageReason\n        triageSource\n        ...InboxListNode_message\n      }\n      proposedRule {\n        id\n        summary\n        state\n      }\n    }\n  }\n": typeof types.RecategorizeMenuDocument,
    "\n  mutation RecategorizeAcceptRule($id: ID!) {\n    acceptTriageRule(id: $id, applyToExisting: true) {\n      rule {\n        id\n        summary\n        state\n      }\n      retriagedMessages\n    }\n  }\n": typeof types.RecategorizeAcceptRuleDocument,
    "\n  fragment ThreadMessage_message on Message {\n    id\n    subject\n    sentAt\n    seen\n    category\n    urgency\n    triageReason\n    textBody\n    htmlBody\n    folder {\n      id\n      role\n      path\n    }\n    from {\n      email\n      name\n      contact {\n        id\n        name\n        deals(first: 5) {\n          edges {\n            node {\n              id\n              title\n              stage\n              amount {\n                amount\n                currency\n              }\n            }\n          }\n        }\n      }\n    }\n    to {\n      email\n      name\n      contact {\n        id\n        name\n      }\n    }\n    cc {\n      email\n      name\n      contact {\n        id\n        name\n      }\n    }\n    ...AttachmentList_message\n  }\n": typeof types.ThreadMessage_MessageFragmentDoc,
    "\n  query ThreadPage($id: ID!, $after: String) {\n    thread(id: $id) {\n      id\n      subject\n      messageCount\n      lastMessageAt\n      messages(first: 50, after: $after) {\n        edges {\n          cursor\n          node {\n            id\n            seen\n            folder {\n              id\n              role\n            }\n            ...ThreadMessage_message\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": typeof types.ThreadPageDocument,
    "\n  mutation ThreadPageMark($ids: [ID!]!, $seen: Boolean!) {\n    markMessages(ids: $ids, seen: $seen) {\n      id\n      seen\n    }\n  }\n": typeof types.ThreadPageMarkDocument,
    "\n  mutation ThreadPageArchive($ids: [ID!]!) {\n    archiveMessages(ids: $ids) {\n      id\n      folder {\n        id\n        role\n        path\n      }\n      ...InboxListNode_message\n    }\n  }\n": typeof types.ThreadPageArchiveDocument,
    "\n  query SocialAccountPicker {\n    socialAccounts(first: 100) {\n      edges {\n        node {\n          id\n          network\n          handle\n          state\n          maxPostLength\n        }\n      }\n    }\n  }\n": typeof types.SocialAccountPickerDocument,
    "\n  fragment SocialAccountRow_account on SocialAccount {\n    id\n    network\n    handle\n    displayName\n    serviceUrl\n    state\n    maxPostLength\n    createdAt\n  }\n": typeof types.SocialAccountRow_AccountFragmentDoc,
    "\n  query SocialAccountsPage($after: String) {\n    mastodonConnectErrors\n    socialAccounts(first: 20, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          handle\n          ...SocialAccountRow_account\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.SocialAccountsPageDocument,
    "\n  mutation SocialAccountsDisconnect($id: ID!) {\n    disconnectSocialAccount(id: $id)\n  }\n": typeof types.SocialAccountsDisconnectDocument,
    "\n  query SocialComposeEdit($id: ID!) {\n    post(id: $id) {\n      id\n      state\n      ...ComposerForm_post\n    }\n  }\n": typeof types.SocialComposeEditDocument,
    "\n  fragment ComposerForm_post on Post {\n    id\n    text\n    state\n    timeZone\n    scheduledLocal\n    account {\n      id\n    }\n  }\n": typeof types.ComposerForm_PostFragmentDoc,
    "\n  fragment ComposerPostFields_post on Post {\n    id\n    text\n    state\n    network\n    scheduledAt\n    timeZone\n    scheduledLocal\n    failureReason\n    updatedAt\n    account {\n      id\n      handle\n    }\n  }\n": typeof types.ComposerPostFields_PostFragmentDoc,
    "\n  mutation ComposerCreatePost($input: CreatePostInput!) {\n    createPost(input: $input) {\n      id\n      ...ComposerPostFields_post\n    }\n  }\n": typeof types.ComposerCreatePostDocument,
    "\n  mutation ComposerUpdatePost($id: ID!, $input: UpdatePostInput!) {\n    updatePost(id: $id, input: $input) {\n      id\n      ...ComposerPostFields_post\n    }\n  }\n": typeof types.ComposerUpdatePostDocument,
    "\n  mutation ComposerSchedulePost($id: ID!, $at: String!, $timeZone: String!) {\n    schedulePost(id: $id, at: $at, timeZone: $timeZone) {\n      id\n      ...ComposerPostFields_post\n    }\n  }\n": typeof types.ComposerSchedulePostDocument,
    "\n  mutation ComposerPublishPost($id: ID!) {\n    publishPost(id: $id) {\n      id\n      ...ComposerPostFields_post\n    }\n  }\n": typeof types.ComposerPublishPostDocument,
    "\n  mutation ConnectBlueskyDialog($input: ConnectBlueskyAccountInput!) {\n    connectBlueskyAccount(input: $input) {\n      id\n      ...SocialAccountRow_account\n    }\n  }\n": typeof types.ConnectBlueskyDialogDocument,
    "\n  mutation ConnectMastodonDialog($instanceUrl: String!) {\n    startMastodonConnect(instanceUrl: $instanceUrl) {\n      authorizeUrl\n    }\n  }\n": typeof types.ConnectMastodonDialogDocument,
    "\n  query ContactSocialProfiles($id: ID!) {\n    contact(id: $id) {\n      id\n      socialProfiles {\n        id\n        network\n        handle\n        displayName\n        url\n      }\n    }\n  }\n": typeof types.ContactSocialProfilesDocument,
    "\n  mutation ContactLinkSocialProfile($contactId: ID!, $network: SocialNetwork!, $handle: String!) {\n    linkSocialProfile(contactId: $contactId, network: $network, handle: $handle) {\n      id\n      handle\n    }\n  }\n": typeof types.ContactLinkSocialProfileDocument,
    "\n  mutation ContactUnlinkSocialProfile($contactId: ID!, $profileId: ID!) {\n    unlinkSocialProfile(contactId: $contactId, profileId: $profileId)\n  }\n": typeof types.ContactUnlinkSocialProfileDocument,
    "\n  fragment MetricsChart_metrics on PostMetrics {\n    at\n    likes\n    reposts\n    replies\n  }\n": typeof types.MetricsChart_MetricsFragmentDoc,
    "\n  fragment PostPage_post on Post {\n    id\n    text\n    network\n    state\n    scheduledAt\n    timeZone\n    scheduledLocal\n    publishedAt\n    remoteId\n    url\n    failureReason\n    lastError\n    attempts\n    createdAt\n    updatedAt\n    account {\n      id\n      handle\n      state\n    }\n    author {\n      id\n      name\n    }\n    metrics {\n      at\n      likes\n      reposts\n      replies\n    }\n  }\n": typeof types.PostPage_PostFragmentDoc,
    "\n  query PostPage($id: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {\n    postEventsCursor\n    post(id: $id) {\n      id\n      ...PostPage_post\n      metricsHistory(from: $from, to: $to) {\n        ...MetricsChart_metrics\n      }\n    }\n  }\n": typeof types.PostPageDocument,
    "\n  subscription PostPageStatus($postId: ID!, $after: String) {\n    postStatusChanged(postId: $postId, after: $after) {\n      cursor\n      postId\n      state\n      attempts\n      reason\n      deleted\n      at\n      post {\n        id\n        ...PostPage_post\n      }\n    }\n  }\n": typeof types.PostPageStatusDocument,
    "\n  mutation PostPagePublish($id: ID!) {\n    publishPost(id: $id) {\n      id\n      ...PostPage_post\n    }\n  }\n": typeof types.PostPagePublishDocument,
    "\n  mutation PostPageDelete($id: ID!) {\n    deletePost(id: $id)\n  }\n": typeof types.PostPageDeleteDocument,
    "\n  fragment QueueRow_post on Post {\n    id\n    text\n    network\n    state\n    scheduledAt\n    timeZone\n    scheduledLocal\n    publishedAt\n    failureReason\n    lastError\n    updatedAt\n    account {\n      id\n      handle\n    }\n  }\n": typeof types.QueueRow_PostFragmentDoc,
    "\n  query SocialQueue($filter: PostFilter, $after: String) {\n    postEventsCursor\n    posts(filter: $filter, first: 20, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          ...QueueRow_post\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.SocialQueueDocument,
    "\n  mutation QueueUnschedulePost($id: ID!) {\n    unschedulePost(id: $id) {\n      id\n      state\n      scheduledAt\n      updatedAt\n    }\n  }\n": typeof types.QueueUnschedulePostDocument,
    "\n  mutation QueueDeletePost($id: ID!) {\n    deletePost(id: $id)\n  }\n": typeof types.QueueDeletePostDocument,
    "\n  subscription SocialQueueEvents($after: String) {\n    postStatusChanged(after: $after) {\n      cursor\n      postId\n      state\n      deleted\n      post {\n        id\n        ...QueueRow_post\n      }\n    }\n  }\n": typeof types.SocialQueueEventsDocument,
    "\n  mutation QueueReschedulePost($id: ID!, $at: String!, $timeZone: String!) {\n    schedulePost(id: $id, at: $at, timeZone: $timeZone) {\n      id\n      state\n      scheduledAt\n      timeZone\n      scheduledLocal\n      updatedAt\n    }\n  }\n": typeof types.QueueReschedulePostDocument,
    "\n  fragment SuggestionRow_suggestion on SocialSuggestion {\n    reason\n    commonFollows\n    score\n    profile {\n      id\n      network\n      handle\n      displayName\n      url\n    }\n    contact {\n      id\n      name\n    }\n  }\n": typeof types.SuggestionRow_SuggestionFragmentDoc,
    "\n  query SocialSuggestions($accountId: ID!) {\n    suggestions(accountId: $accountId, first: 20) {\n      profile {\n        id\n      }\n      ...SuggestionRow_suggestion\n    }\n  }\n": typeof types.SocialSuggestionsDocument,
    "\n  mutation SuggestionsFollow($accountId: ID!, $handle: String!) {\n    followProfile(accountId: $accountId, handle: $handle) {\n      id\n      handle\n    }\n  }\n": typeof types.SuggestionsFollowDocument,
    "\n  fragment TaskDialog_task on Task {\n    id\n    title\n    description\n    status\n    priority\n    progress\n    dueAt\n    dueDate\n    dueLocal\n    dueTimeZone\n    assignee {\n      id\n    }\n    blockedBy {\n      id\n      title\n      status\n    }\n  }\n": typeof types.TaskDialog_TaskFragmentDoc,
    "\n  query TaskPeople {\n    workspace {\n      id\n      members(first: 100) {\n        edges {\n          node {\n            user {\n              id\n              name\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.TaskPeopleDocument,
    "\n  mutation TasksCreate($input: CreateTaskInput!) {\n    createTask(input: $input) {\n      id\n      title\n      ...TaskDialog_task\n    }\n  }\n": typeof types.TasksCreateDocument,
    "\n  mutation TasksUpdate($id: ID!, $input: UpdateTaskInput!) {\n    updateTask(id: $id, input: $input) {\n      id\n      title\n      ...TaskDialog_task\n    }\n  }\n": typeof types.TasksUpdateDocument,
    "\n  mutation TasksAddDependency($taskId: ID!, $blockedById: ID!) {\n    addTaskDependency(taskId: $taskId, blockedById: $blockedById) {\n      id\n      blockedBy {\n        id\n        title\n        status\n      }\n    }\n  }\n": typeof types.TasksAddDependencyDocument,
    "\n  mutation TasksRemoveDependency($taskId: ID!, $blockedById: ID!) {\n    removeTaskDependency(taskId: $taskId, blockedById: $blockedById) {\n      id\n      blockedBy {\n        id\n        title\n        status\n      }\n    }\n  }\n": typeof types.TasksRemoveDependencyDocument,
    "\n  fragment TaskRow_task on Task {\n    id\n    title\n    status\n    priority\n    progress\n    dueDate\n    dueLocal\n    dueTimeZone\n    overdue\n    assignee {\n      id\n      name\n    }\n    blockedBy {\n      id\n      title\n      status\n    }\n  }\n": typeof types.TaskRow_TaskFragmentDoc,
    "\n  query TasksPage($filter: TaskFilter, $after: String) {\n    tasks(filter: $filter, first: 50, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          title\n          status\n          ...TaskRow_task\n          ...TaskDialog_task\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.TasksPageDocument,
    "\n  query TaskOptions {\n    tasks(first: 100) {\n      edges {\n        node {\n          id\n          title\n        }\n      }\n    }\n  }\n": typeof types.TaskOptionsDocument,
    "\n  mutation TasksComplete($id: ID!) {\n    updateTask(id: $id, input: { status: DONE }) {\n      id\n      status\n      progress\n      completedAt\n      updatedAt\n    }\n  }\n": typeof types.TasksCompleteDocument,
    "\n  mutation WorkspaceAddMember($workspaceId: ID!, $email: String!, $role: Role!) {\n    addMember(workspaceId: $workspaceId, email: $email, role: $role) {\n      ...MemberRow_membership\n    }\n  }\n": typeof types.WorkspaceAddMemberDocument,
    "\n  fragment ApiKeyRow_apiKey on ApiKey {\n    id\n    name\n    prefix\n    scopes\n    createdAt\n    revokedAt\n  }\n": typeof types.ApiKeyRow_ApiKeyFragmentDoc,
    "\n  query WorkspaceApiKeys($first: Int!, $after: String) {\n    apiKeys(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          ...ApiKeyRow_apiKey\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.WorkspaceApiKeysDocument,
    "\n  mutation WorkspaceRevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      id\n      revokedAt\n    }\n  }\n": typeof types.WorkspaceRevokeApiKeyDocument,
    "\n  mutation WorkspaceCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      key\n      apiKey {\n        id\n        name\n      }\n    }\n  }\n": typeof types.WorkspaceCreateApiKeyDocument,
    "\n  mutation WorkspaceCreateWorkspace($name: String!) {\n    createWorkspace(name: $name) {\n      id\n      name\n    }\n  }\n": typeof types.WorkspaceCreateWorkspaceDocument,
    "\n  fragment MemberRow_membership on Membership {\n    role\n    createdAt\n    user {\n      id\n      name\n      email\n    }\n  }\n": typeof types.MemberRow_MembershipFragmentDoc,
    "\n  query WorkspaceMembers($first: Int!, $after: String) {\n    workspace {\n      id\n      members(first: $first, after: $after) {\n        edges {\n          cursor\n          node {\n            role\n            user {\n              id\n            }\n            ...MemberRow_membership\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": typeof types.WorkspaceMembersDocument,
    "\n  mutation WorkspaceRemoveMember($workspaceId: ID!, $userId: ID!) {\n    removeMember(workspaceId: $workspaceId, userId: $userId)\n  }\n": typeof types.WorkspaceRemoveMemberDocument,
    "\n  query WorkspacePage {\n    workspace {\n      id\n      name\n      createdAt\n    }\n  }\n": typeof types.WorkspacePageDocument,
};
const documents: Documents = {
    "\n  fragment SessionFields on AuthPayload {\n    accessToken\n    expiresAt\n    role\n    user {\n      id\n      name\n      email\n    }\n    workspace {\n      id\n      name\n    }\n  }\n": types.SessionFieldsFragmentDoc,
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      ...SessionFields\n    }\n  }\n": types.SignUpDocument,
    "\n  mutation LogIn($input: LogInInput!) {\n    logIn(input: $input) {\n      ...SessionFields\n    }\n  }\n": types.LogInDocument,
    "\n  mutation RefreshSession {\n    refreshSession {\n      ...SessionFields\n    }\n  }\n": types.RefreshSessionDocument,
    "\n  mutation SwitchWorkspace($workspaceId: ID!) {\n    switchWorkspace(workspaceId: $workspaceId) {\n      ...SessionFields\n    }\n  }\n": types.SwitchWorkspaceDocument,
    "\n  mutation LogOut {\n    logOut\n  }\n": types.LogOutDocument,
    "\n  query MyWorkspaces {\n    me {\n      id\n      memberships {\n        role\n        workspace {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.MyWorkspacesDocument,
    "\n  fragment AgentForm_agent on Agent {\n    id\n    name\n    provider\n    model\n    instructions\n    tools\n    updatedAt\n  }\n": types.AgentForm_AgentFragmentDoc,
    "\n  mutation AgentFormCreate($input: CreateAgentInput!) {\n    createAgent(input: $input) {\n      id\n      ...AgentForm_agent\n    }\n  }\n": types.AgentFormCreateDocument,
    "\n  mutation AgentFormUpdate($id: ID!, $input: UpdateAgentInput!) {\n    updateAgent(id: $id, input: $input) {\n      id\n      ...AgentForm_agent\n    }\n  }\n": types.AgentFormUpdateDocument,
    "\n  query AgentPageAgent($id: ID!, $runsFirst: Int, $runsAfter: String) {\n    agent(id: $id) {\n      id\n      name\n      ...AgentForm_agent\n      runs(first: $runsFirst, after: $runsAfter) {\n        edges {\n          cursor\n          node {\n            id\n            ...RunHistoryRow_run\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": types.AgentPageAgentDocument,
    "\n  mutation AgentPageDelete($id: ID!) {\n    deleteAgent(id: $id)\n  }\n": types.AgentPageDeleteDocument,
    "\n  fragment AgentsTableRow_agent on Agent {\n    id\n    name\n    provider\n    model\n    runs(first: 1) {\n      edges {\n        node {\n          id\n          status\n          createdAt\n        }\n      }\n    }\n  }\n": types.AgentsTableRow_AgentFragmentDoc,
    "\n  query AgentsPageAgents($first: Int, $after: String) {\n    agents(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          ...AgentsTableRow_agent\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.AgentsPageAgentsDocument,
    "\n  fragment RunHistoryRow_run on AgentRun {\n    id\n    status\n    input\n    createdAt\n    startedAt\n    finishedAt\n  }\n": types.RunHistoryRow_RunFragmentDoc,
    "\n  subscription RunOutputEvents($runId: ID!, $after: String) {\n    agentRunEvents(runId: $runId, after: $after) {\n      cursor\n      type\n      delta\n      status\n      error\n      at\n      toolCall {\n        id\n        name\n        arguments\n        result\n        error\n      }\n    }\n  }\n": types.RunOutputEventsDocument,
    "\n  fragment RunSummary_run on AgentRun {\n    id\n    input\n    createdAt\n    startedAt\n    finishedAt\n    tokensUsed\n    error\n    startedBy {\n      id\n      name\n    }\n  }\n": types.RunSummary_RunFragmentDoc,
    "\n  query RunPageRun($id: ID!) {\n    agentRun(id: $id) {\n      id\n      status\n      output\n      agent {\n        id\n        name\n      }\n      ...RunSummary_run\n    }\n  }\n": types.RunPageRunDocument,
    "\n  mutation RunPageCancel($id: ID!) {\n    cancelAgentRun(id: $id) {\n      id\n      status\n      output\n      ...RunSummary_run\n    }\n  }\n": types.RunPageCancelDocument,
    "\n  mutation StartRunFormStart($input: StartAgentRunInput!) {\n    startAgentRun(input: $input) {\n      id\n      status\n      input\n      createdAt\n      startedAt\n      finishedAt\n    }\n  }\n": types.StartRunFormStartDocument,
    "\n  query BillingPage {\n    workspace {\n      id\n      plan {\n        name\n      }\n      subscription {\n        id\n        status\n        ...SubscriptionSummary_subscription\n      }\n      ...UsageMeters_workspace\n    }\n    plans {\n      name\n      ...PlanCard_plan\n    }\n  }\n": types.BillingPageDocument,
    "\n  mutation BillingCreateCheckoutSession($plan: PlanName!) {\n    createCheckoutSession(plan: $plan) {\n      id\n      url\n    }\n  }\n": types.BillingCreateCheckoutSessionDocument,
    "\n  mutation BillingCancelSubscription {\n    cancelSubscription {\n      id\n      ...SubscriptionSummary_subscription\n    }\n  }\n": types.BillingCancelSubscriptionDocument,
    "\n  fragment InvoiceRow_invoice on Invoice {\n    id\n    number\n    status\n    hostedInvoiceUrl\n    createdAt\n    periodStart\n    periodEnd\n    amountDue {\n      amount\n      currency\n    }\n    amountPaid {\n      amount\n      currency\n    }\n  }\n": types.InvoiceRow_InvoiceFragmentDoc,
    "\n  query BillingInvoices($first: Int!, $after: String) {\n    invoices(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          ...InvoiceRow_invoice\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.BillingInvoicesDocument,
    "\n  fragment PlanCard_plan on Plan {\n    name\n    monthlyPrice {\n      amount\n      currency\n    }\n    limits {\n      contacts\n      agents\n      apiCallsPerMonth\n      socialAccounts\n      storageGb\n    }\n  }\n": types.PlanCard_PlanFragmentDoc,
    "\n  fragment SubscriptionSummary_subscription on BillingSubscription {\n    id\n    plan\n    status\n    cancelAtPeriodEnd\n    currentPeriodEnd\n  }\n": types.SubscriptionSummary_SubscriptionFragmentDoc,
    "\n  fragment UsageMeters_workspace on Workspace {\n    plan {\n      name\n      limits {\n        contacts\n        agents\n        apiCallsPerMonth\n      }\n    }\n    usage {\n      contacts\n      agents\n      apiCallsThisPeriod\n      periodEnd\n    }\n  }\n": types.UsageMeters_WorkspaceFragmentDoc,
    "\n  query CalendarView($from: DateTimeISO!, $to: DateTimeISO!, $timeZone: String!) {\n    calendars {\n      id\n      name\n      kind\n    }\n    events(from: $from, to: $to) {\n      start\n      end\n      recurrenceId\n      seriesId\n      event {\n        id\n        title\n        timeZone\n        start\n        recurringEventId\n        recurrence {\n          rrule\n          exdates\n          rdates\n        }\n      }\n      ...TimeGrid_occurrence\n      ...EventEditor_occurrence\n    }\n  }\n": types.CalendarViewDocument,
    "\n  fragment ConflictList_conflict on EventConflict {\n    user {\n      id\n      name\n    }\n    occurrence {\n      start\n      end\n    }\n    conflictingWith {\n      start\n      end\n      seriesId\n      event {\n        id\n        title\n      }\n    }\n  }\n": types.ConflictList_ConflictFragmentDoc,
    "\n  fragment EventEditor_occurrence on EventOccurrence {\n    start\n    end\n    startDate\n    endDate\n    recurrenceId\n    seriesId\n    event {\n      id\n      title\n      description\n      location\n      allDay\n      timeZone\n      start\n      end\n      startDate\n      endDate\n      recurringEventId\n      recurrence {\n        rrule\n        exdates\n        rdates\n      }\n      calendar {\n        id\n      }\n      attendees {\n        name\n        rsvp\n        user {\n          id\n        }\n        correspondent {\n          email\n        }\n      }\n    }\n  }\n": types.EventEditor_OccurrenceFragmentDoc,
    "\n  mutation CalendarCreateEvent($calendarId: ID!, $input: EventInput!) {\n    createEvent(calendarId: $calendarId, input: $input) {\n      event {\n        id\n        title\n      }\n      conflicts {\n        ...ConflictList_conflict\n      }\n    }\n  }\n": types.CalendarCreateEventDocument,
    "\n  mutation CalendarUpdateEvent($id: ID!, $input: EventInput!, $scope: EventEditScope!, $occurrence: DateTimeISO) {\n    updateEvent(id: $id, input: $input, scope: $scope, occurrence: $occurrence) {\n      event {\n        id\n        title\n        start\n        end\n        updatedAt\n      }\n      conflicts {\n        ...ConflictList_conflict\n      }\n    }\n  }\n": types.CalendarUpdateEventDocument,
    "\n  mutation CalendarDeleteEvent($id: ID!, $scope: EventEditScope!, $occurrence: DateTimeISO) {\n    deleteEvent(id: $id, scope: $scope, occurrence: $occurrence)\n  }\n": types.CalendarDeleteEventDocument,
    "\n  query CalendarFreeSlots(\n    $attendeeIds: [ID!]!\n    $durationMinutes: Int!\n    $from: DateTimeISO!\n    $to: DateTimeISO!\n    $bufferMinutes: Int!\n  ) {\n    freeSlots(\n      attendeeIds: $attendeeIds\n      durationMinutes: $durationMinutes\n      from: $from\n      to: $to\n      bufferMinutes: $bufferMinutes\n      granularityMinutes: 15\n      first: 50\n    ) {\n      slots {\n        start\n        end\n      }\n      attendees {\n        id\n        name\n      }\n    }\n  }\n": types.CalendarFreeSlotsDocument,
    "\n  query CalendarMoveConflicts($id: ID!, $start: DateTimeISO!, $end: DateTimeISO!) {\n    eventMoveConflicts(id: $id, start: $start, end: $end) {\n      ...ConflictList_conflict\n    }\n  }\n": types.CalendarMoveConflictsDocument,
    "\n  mutation CalendarMoveEvent($id: ID!, $input: EventInput!, $scope: EventEditScope!, $occurrence: DateTimeISO) {\n    updateEvent(id: $id, input: $input, scope: $scope, occurrence: $occurrence) {\n      event {\n        id\n        start\n        end\n        updatedAt\n      }\n      conflicts {\n        ...ConflictList_conflict\n      }\n    }\n  }\n": types.CalendarMoveEventDocument,
    "\n  query CalendarSeriesTiming($id: ID!) {\n    event(id: $id) {\n      id\n      start\n      end\n      startDate\n      timeZone\n      recurrence {\n        rrule\n        exdates\n        rdates\n      }\n    }\n  }\n": types.CalendarSeriesTimingDocument,
    "\n  fragment TimeGrid_occurrence on EventOccurrence {\n    seriesId\n    recurrenceId\n    allDay\n    startDate\n    endDate\n    localStart(timeZone: $timeZone)\n    localEnd(timeZone: $timeZone)\n    event {\n      id\n      title\n      location\n      status\n      recurringEventId\n      recurrence {\n        rrule\n      }\n    }\n  }\n": types.TimeGrid_OccurrenceFragmentDoc,
    "\n  query CalendarWorkspacePeople {\n    workspace {\n      id\n      members(first: 100) {\n        edges {\n          node {\n            user {\n              id\n              name\n              email\n            }\n          }\n        }\n      }\n    }\n  }\n": types.CalendarWorkspacePeopleDocument,
    "\n  fragment CompanyRow_company on Company {\n    id\n    name\n    domain\n    industry\n    size\n  }\n": types.CompanyRow_CompanyFragmentDoc,
    "\n  query CompaniesPage($after: String) {\n    companies(first: 20, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          ...CompanyRow_company\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.CompaniesPageDocument,
    "\n  mutation CompaniesPageCreate($input: CreateCompanyInput!) {\n    createCompany(input: $input) {\n      id\n      name\n    }\n  }\n": types.CompaniesPageCreateDocument,
    "\n  fragment ContactForm_contact on Contact {\n    id\n    name\n    emails\n    phones\n    title\n    company {\n      id\n      name\n    }\n  }\n": types.ContactForm_ContactFragmentDoc,
    "\n  query ContactFormCompanies {\n    companies(first: 100) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.ContactFormCompaniesDocument,
    "\n  mutation ContactFormCreate($input: CreateContactInput!) {\n    createContact(input: $input) {\n      id\n      name\n    }\n  }\n": types.ContactFormCreateDocument,
    "\n  mutation ContactFormUpdate($id: ID!, $input: UpdateContactInput!) {\n    updateContact(id: $id, input: $input) {\n      id\n      ...ContactForm_contact\n      ...ContactPageDetails_contact\n    }\n  }\n": types.ContactFormUpdateDocument,
    "\n  query ContactPage($id: ID!, $after: String) {\n    contact(id: $id) {\n      id\n      name\n      ...ContactPageDetails_contact\n      ...ContactForm_contact\n      timeline(first: 20, after: $after) {\n        edges {\n          cursor\n          node {\n            id\n            occurredAt\n            ...TimelineItem_activity\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": types.ContactPageDocument,
    "\n  fragment ContactPageDetails_contact on Contact {\n    id\n    name\n    emails\n    phones\n    title\n    tags\n    createdAt\n    updatedAt\n    company {\n      id\n      name\n      domain\n    }\n    owner {\n      id\n      name\n    }\n  }\n": types.ContactPageDetails_ContactFragmentDoc,
    "\n  mutation ContactPageDelete($id: ID!) {\n    deleteContact(id: $id)\n  }\n": types.ContactPageDeleteDocument,
    "\n  fragment TimelineItem_activity on Activity {\n    id\n    type\n    subject\n    body\n    occurredAt\n    author {\n      id\n      name\n    }\n  }\n": types.TimelineItem_ActivityFragmentDoc,
    "\n  mutation LogActivityForm($input: LogActivityInput!) {\n    logActivity(input: $input) {\n      id\n      occurredAt\n      ...TimelineItem_activity\n    }\n  }\n": types.LogActivityFormDocument,
    "\n  fragment ContactRow_contact on Contact {\n    id\n    name\n    emails\n    phones\n    title\n    company {\n      id\n      name\n    }\n  }\n": types.ContactRow_ContactFragmentDoc,
    "\n  query ContactsPage($search: String, $companyId: ID, $after: String) {\n    contacts(search: $search, filter: { companyId: $companyId }, first: 20, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          ...ContactRow_contact\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n    workspace {\n      id\n      plan {\n        name\n        limits {\n          contacts\n        }\n      }\n      usage {\n        contacts\n      }\n    }\n  }\n": types.ContactsPageDocument,
    "\n  query ContactsPageCompany($id: ID!) {\n    company(id: $id) {\n      id\n      name\n    }\n  }\n": types.ContactsPageCompanyDocument,
    "\n  fragment DealCard_deal on Deal {\n    id\n    title\n    stage\n    expectedCloseDate\n    amount {\n      amount\n      currency\n    }\n    contact {\n      id\n      name\n    }\n    company {\n      id\n      name\n    }\n  }\n": types.DealCard_DealFragmentDoc,
    "\n  query DealsBoard($after: String) {\n    deals(first: 100, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          title\n          stage\n          amount {\n            amount\n            currency\n          }\n          ...DealCard_deal\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n    workspace {\n      id\n      pipeline {\n        stage\n        count\n        totals {\n          amount\n          currency\n        }\n      }\n    }\n  }\n": types.DealsBoardDocument,
    "\n  query DealsBoardPipeline {\n    workspace {\n      id\n      pipeline {\n        stage\n        count\n        totals {\n          amount\n          currency\n        }\n      }\n    }\n  }\n": types.DealsBoardPipelineDocument,
    "\n  mutation DealsBoardMove($id: ID!, $stage: DealStage!) {\n    moveDeal(id: $id, stage: $stage) {\n      id\n      stage\n      updatedAt\n    }\n  }\n": types.DealsBoardMoveDocument,
    "\n  query NewDealContacts {\n    contacts(first: 100) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.NewDealContactsDocument,
    "\n  mutation NewDealCreate($input: CreateDealInput!) {\n    createDeal(input: $input) {\n      id\n      title\n      stage\n      amount {\n        amount\n        currency\n      }\n      ...DealCard_deal\n    }\n  }\n": types.NewDealCreateDocument,
    "\n  fragment AttachmentList_message on Message {\n    id\n    attachments {\n      part\n      filename\n      contentType\n      size\n    }\n  }\n": types.AttachmentList_MessageFragmentDoc,
    "\n  query AttachmentContent($id: ID!, $part: String!) {\n    message(id: $id) {\n      id\n      attachment(part: $part) {\n        part\n        content\n      }\n    }\n  }\n": types.AttachmentContentDocument,
    "\n  mutation ConnectAccountDialog($input: ConnectMailAccountInput!) {\n    connectMailAccount(input: $input) {\n      id\n      address\n      syncState\n      folders {\n        id\n        path\n        role\n      }\n    }\n  }\n": types.ConnectAccountDialogDocument,
    "\n  query ContactMessages($id: ID!, $after: String) {\n    contact(id: $id) {\n      id\n      messages(first: 10, after: $after) {\n        edges {\n          cursor\n          node {\n            id\n            subject\n            snippet\n            sentAt\n            seen\n            from {\n              email\n              name\n            }\n            thread {\n              id\n            }\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": types.ContactMessagesDocument,
    "\n  fragment DraftEditor_draft on Draft {\n    id\n    subject\n    body\n    state\n    sentAt\n    sendError\n    updatedAt\n    inReplyTo\n    toAddresses {\n      name\n      email\n    }\n    ccAddresses {\n      name\n      email\n    }\n    account {\n      id\n      address\n    }\n  }\n": types.DraftEditor_DraftFragmentDoc,
    "\n  query DraftReplyDraft($id: ID!) {\n    draft(id: $id) {\n      id\n      ...DraftEditor_draft\n    }\n  }\n": types.DraftReplyDraftDocument,
    "\n  query DraftReplyOpenDrafts {\n    drafts(first: 50) {\n      edges {\n        node {\n          id\n          state\n          replyToMessageId\n          updatedAt\n        }\n      }\n    }\n  }\n": types.DraftReplyOpenDraftsDocument,
    "\n  mutation DraftReplyWrite($messageId: ID!, $instructions: String) {\n    draftReply(messageId: $messageId, instructions: $instructions) {\n      id\n      ...DraftEditor_draft\n    }\n  }\n": types.DraftReplyWriteDocument,
    "\n  mutation DraftEditorUpdate($id: ID!, $input: UpdateDraftInput!) {\n    updateDraft(id: $id, input: $input) {\n      id\n      ...DraftEditor_draft\n    }\n  }\n": types.DraftEditorUpdateDocument,
    "\n  mutation DraftEditorSend($id: ID!) {\n    sendDraft(id: $id) {\n      id\n      ...DraftEditor_draft\n    }\n  }\n": types.DraftEditorSendDocument,
    "\n  subscription InboxPageEvents($after: String) {\n    inboxEvents(after: $after) {\n      cursor\n      type\n      syncState\n      account {\n        id\n        syncState\n        syncError\n        lastSyncedAt\n        folders {\n          id\n          path\n          role\n        }\n      }\n      message {\n        id\n        subject\n        from {\n          email\n          name\n        }\n        ...InboxListNode_message\n      }\n    }\n  }\n": types.InboxPageEventsDocument,
    "\n  fragment InboxListNode_message on Message {\n    id\n    sentAt\n    category\n    folder {\n      id\n    }\n    account {\n      id\n      folders {\n        id\n      }\n    }\n    ...MessageRow_message\n  }\n": types.InboxListNode_MessageFragmentDoc,
    "\n  query InboxMessages($filter: MessageFilter!, $after: String) {\n    messages(filter: $filter, first: 25, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          ...InboxListNode_message\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.InboxMessagesDocument,
    "\n  query InboxAccounts {\n    inboxEventsCursor\n    mailAccounts(first: 100) {\n      edges {\n        node {\n          id\n          address\n          displayName\n          syncState\n          syncError\n          lastSyncedAt\n          folders {\n            id\n            path\n            role\n          }\n        }\n      }\n    }\n  }\n": types.InboxAccountsDocument,
    "\n  mutation InboxPageMark($ids: [ID!]!, $seen: Boolean!) {\n    markMessages(ids: $ids, seen: $seen) {\n      id\n      seen\n    }\n  }\n": types.InboxPageMarkDocument,
    "\n  mutation InboxPageArchive($ids: [ID!]!) {\n    archiveMessages(ids: $ids) {\n      id\n      ...InboxListNode_message\n    }\n  }\n": types.InboxPageArchiveDocument,
    "\n  fragment MessageRow_message on Message {\n    id\n    subject\n    snippet\n    sentAt\n    seen\n    flagged\n    category\n    from {\n      email\n      name\n    }\n    thread {\n      id\n      messageCount\n    }\n    attachments {\n      part\n    }\n  }\n": types.MessageRow_MessageFragmentDoc,
    "\n  mutation RecategorizeMenu($messageId: ID!, $category: MessageCategory!) {\n    recategorize(messageId: $messageId, category: $category) {\n      message {\n        id\n        category\n        urgency\n        triageReason\n        triageSource\n        ...InboxListNode_message\n      }\n      proposedRule {\n        id\n        summary\n        state\n      }\n    }\n  }\n": types.RecategorizeMenuDocument,
    "\n  mutation RecategorizeAcceptRule($id: ID!) {\n    acceptTriageRule(id: $id, applyToExisting: true) {\n      rule {\n        id\n        summary\n        state\n      }\n      retriagedMessages\n    }\n  }\n": types.RecategorizeAcceptRuleDocument,
    "\n  fragment ThreadMessage_message on Message {\n    id\n    subject\n    sentAt\n    seen\n    category\n    urgency\n    triageReason\n    textBody\n    htmlBody\n    folder {\n      id\n      role\n      path\n    }\n    from {\n      email\n      name\n      contact {\n        id\n        name\n        deals(first: 5) {\n          edges {\n            node {\n              id\n              title\n              stage\n              amount {\n                amount\n                currency\n              }\n            }\n          }\n        }\n      }\n    }\n    to {\n      email\n      name\n      contact {\n        id\n        name\n      }\n    }\n    cc {\n      email\n      name\n      contact {\n        id\n        name\n      }\n    }\n    ...AttachmentList_message\n  }\n": types.ThreadMessage_MessageFragmentDoc,
    "\n  query ThreadPage($id: ID!, $after: String) {\n    thread(id: $id) {\n      id\n      subject\n      messageCount\n      lastMessageAt\n      messages(first: 50, after: $after) {\n        edges {\n          cursor\n          node {\n            id\n            seen\n            folder {\n              id\n              role\n            }\n            ...ThreadMessage_message\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": types.ThreadPageDocument,
    "\n  mutation ThreadPageMark($ids: [ID!]!, $seen: Boolean!) {\n    markMessages(ids: $ids, seen: $seen) {\n      id\n      seen\n    }\n  }\n": types.ThreadPageMarkDocument,
    "\n  mutation ThreadPageArchive($ids: [ID!]!) {\n    archiveMessages(ids: $ids) {\n      id\n      folder {\n        id\n        role\n        path\n      }\n      ...InboxListNode_message\n    }\n  }\n": types.ThreadPageArchiveDocument,
    "\n  query SocialAccountPicker {\n    socialAccounts(first: 100) {\n      edges {\n        node {\n          id\n          network\n          handle\n          state\n          maxPostLength\n        }\n      }\n    }\n  }\n": types.SocialAccountPickerDocument,
    "\n  fragment SocialAccountRow_account on SocialAccount {\n    id\n    network\n    handle\n    displayName\n    serviceUrl\n    state\n    maxPostLength\n    createdAt\n  }\n": types.SocialAccountRow_AccountFragmentDoc,
    "\n  query SocialAccountsPage($after: String) {\n    mastodonConnectErrors\n    socialAccounts(first: 20, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          handle\n          ...SocialAccountRow_account\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.SocialAccountsPageDocument,
    "\n  mutation SocialAccountsDisconnect($id: ID!) {\n    disconnectSocialAccount(id: $id)\n  }\n": types.SocialAccountsDisconnectDocument,
    "\n  query SocialComposeEdit($id: ID!) {\n    post(id: $id) {\n      id\n      state\n      ...ComposerForm_post\n    }\n  }\n": types.SocialComposeEditDocument,
    "\n  fragment ComposerForm_post on Post {\n    id\n    text\n    state\n    timeZone\n    scheduledLocal\n    account {\n      id\n    }\n  }\n": types.ComposerForm_PostFragmentDoc,
    "\n  fragment ComposerPostFields_post on Post {\n    id\n    text\n    state\n    network\n    scheduledAt\n    timeZone\n    scheduledLocal\n    failureReason\n    updatedAt\n    account {\n      id\n      handle\n    }\n  }\n": types.ComposerPostFields_PostFragmentDoc,
    "\n  mutation ComposerCreatePost($input: CreatePostInput!) {\n    createPost(input: $input) {\n      id\n      ...ComposerPostFields_post\n    }\n  }\n": types.ComposerCreatePostDocument,
    "\n  mutation ComposerUpdatePost($id: ID!, $input: UpdatePostInput!) {\n    updatePost(id: $id, input: $input) {\n      id\n      ...ComposerPostFields_post\n    }\n  }\n": types.ComposerUpdatePostDocument,
    "\n  mutation ComposerSchedulePost($id: ID!, $at: String!, $timeZone: String!) {\n    schedulePost(id: $id, at: $at, timeZone: $timeZone) {\n      id\n      ...ComposerPostFields_post\n    }\n  }\n": types.ComposerSchedulePostDocument,
    "\n  mutation ComposerPublishPost($id: ID!) {\n    publishPost(id: $id) {\n      id\n      ...ComposerPostFields_post\n    }\n  }\n": types.ComposerPublishPostDocument,
    "\n  mutation ConnectBlueskyDialog($input: ConnectBlueskyAccountInput!) {\n    connectBlueskyAccount(input: $input) {\n      id\n      ...SocialAccountRow_account\n    }\n  }\n": types.ConnectBlueskyDialogDocument,
    "\n  mutation ConnectMastodonDialog($instanceUrl: String!) {\n    startMastodonConnect(instanceUrl: $instanceUrl) {\n      authorizeUrl\n    }\n  }\n": types.ConnectMastodonDialogDocument,
    "\n  query ContactSocialProfiles($id: ID!) {\n    contact(id: $id) {\n      id\n      socialProfiles {\n        id\n        network\n        handle\n        displayName\n        url\n      }\n    }\n  }\n": types.ContactSocialProfilesDocument,
    "\n  mutation ContactLinkSocialProfile($contactId: ID!, $network: SocialNetwork!, $handle: String!) {\n    linkSocialProfile(contactId: $contactId, network: $network, handle: $handle) {\n      id\n      handle\n    }\n  }\n": types.ContactLinkSocialProfileDocument,
    "\n  mutation ContactUnlinkSocialProfile($contactId: ID!, $profileId: ID!) {\n    unlinkSocialProfile(contactId: $contactId, profileId: $profileId)\n  }\n": types.ContactUnlinkSocialProfileDocument,
    "\n  fragment MetricsChart_metrics on PostMetrics {\n    at\n    likes\n    reposts\n    replies\n  }\n": types.MetricsChart_MetricsFragmentDoc,
    "\n  fragment PostPage_post on Post {\n    id\n    text\n    network\n    state\n    scheduledAt\n    timeZone\n    scheduledLocal\n    publishedAt\n    remoteId\n    url\n    failureReason\n    lastError\n    attempts\n    createdAt\n    updatedAt\n    account {\n      id\n      handle\n      state\n    }\n    author {\n      id\n      name\n    }\n    metrics {\n      at\n      likes\n      reposts\n      replies\n    }\n  }\n": types.PostPage_PostFragmentDoc,
    "\n  query PostPage($id: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {\n    postEventsCursor\n    post(id: $id) {\n      id\n      ...PostPage_post\n      metricsHistory(from: $from, to: $to) {\n        ...MetricsChart_metrics\n      }\n    }\n  }\n": types.PostPageDocument,
    "\n  subscription PostPageStatus($postId: ID!, $after: String) {\n    postStatusChanged(postId: $postId, after: $after) {\n      cursor\n      postId\n      state\n      attempts\n      reason\n      deleted\n      at\n      post {\n        id\n        ...PostPage_post\n      }\n    }\n  }\n": types.PostPageStatusDocument,
    "\n  mutation PostPagePublish($id: ID!) {\n    publishPost(id: $id) {\n      id\n      ...PostPage_post\n    }\n  }\n": types.PostPagePublishDocument,
    "\n  mutation PostPageDelete($id: ID!) {\n    deletePost(id: $id)\n  }\n": types.PostPageDeleteDocument,
    "\n  fragment QueueRow_post on Post {\n    id\n    text\n    network\n    state\n    scheduledAt\n    timeZone\n    scheduledLocal\n    publishedAt\n    failureReason\n    lastError\n    updatedAt\n    account {\n      id\n      handle\n    }\n  }\n": types.QueueRow_PostFragmentDoc,
    "\n  query SocialQueue($filter: PostFilter, $after: String) {\n    postEventsCursor\n    posts(filter: $filter, first: 20, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          ...QueueRow_post\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.SocialQueueDocument,
    "\n  mutation QueueUnschedulePost($id: ID!) {\n    unschedulePost(id: $id) {\n      id\n      state\n      scheduledAt\n      updatedAt\n    }\n  }\n": types.QueueUnschedulePostDocument,
    "\n  mutation QueueDeletePost($id: ID!) {\n    deletePost(id: $id)\n  }\n": types.QueueDeletePostDocument,
    "\n  subscription SocialQueueEvents($after: String) {\n    postStatusChanged(after: $after) {\n      cursor\n      postId\n      state\n      deleted\n      post {\n        id\n        ...QueueRow_post\n      }\n    }\n  }\n": types.SocialQueueEventsDocument,
    "\n  mutation QueueReschedulePost($id: ID!, $at: String!, $timeZone: String!) {\n    schedulePost(id: $id, at: $at, timeZone: $timeZone) {\n      id\n      state\n      scheduledAt\n      timeZone\n      scheduledLocal\n      updatedAt\n    }\n  }\n": types.QueueReschedulePostDocument,
    "\n  fragment SuggestionRow_suggestion on SocialSuggestion {\n    reason\n    commonFollows\n    score\n    profile {\n      id\n      network\n      handle\n      displayName\n      url\n    }\n    contact {\n      id\n      name\n    }\n  }\n": types.SuggestionRow_SuggestionFragmentDoc,
    "\n  query SocialSuggestions($accountId: ID!) {\n    suggestions(accountId: $accountId, first: 20) {\n      profile {\n        id\n      }\n      ...SuggestionRow_suggestion\n    }\n  }\n": types.SocialSuggestionsDocument,
    "\n  mutation SuggestionsFollow($accountId: ID!, $handle: String!) {\n    followProfile(accountId: $accountId, handle: $handle) {\n      id\n      handle\n    }\n  }\n": types.SuggestionsFollowDocument,
    "\n  fragment TaskDialog_task on Task {\n    id\n    title\n    description\n    status\n    priority\n    progress\n    dueAt\n    dueDate\n    dueLocal\n    dueTimeZone\n    assignee {\n      id\n    }\n    blockedBy {\n      id\n      title\n      status\n    }\n  }\n": types.TaskDialog_TaskFragmentDoc,
    "\n  query TaskPeople {\n    workspace {\n      id\n      members(first: 100) {\n        edges {\n          node {\n            user {\n              id\n              name\n            }\n          }\n        }\n      }\n    }\n  }\n": types.TaskPeopleDocument,
    "\n  mutation TasksCreate($input: CreateTaskInput!) {\n    createTask(input: $input) {\n      id\n      title\n      ...TaskDialog_task\n    }\n  }\n": types.TasksCreateDocument,
    "\n  mutation TasksUpdate($id: ID!, $input: UpdateTaskInput!) {\n    updateTask(id: $id, input: $input) {\n      id\n      title\n      ...TaskDialog_task\n    }\n  }\n": types.TasksUpdateDocument,
    "\n  mutation TasksAddDependency($taskId: ID!, $blockedById: ID!) {\n    addTaskDependency(taskId: $taskId, blockedById: $blockedById) {\n      id\n      blockedBy {\n        id\n        title\n        status\n      }\n    }\n  }\n": types.TasksAddDependencyDocument,
    "\n  mutation TasksRemoveDependency($taskId: ID!, $blockedById: ID!) {\n    removeTaskDependency(taskId: $taskId, blockedById: $blockedById) {\n      id\n      blockedBy {\n        id\n        title\n        status\n      }\n    }\n  }\n": types.TasksRemoveDependencyDocument,
    "\n  fragment TaskRow_task on Task {\n    id\n    title\n    status\n    priority\n    progress\n    dueDate\n    dueLocal\n    dueTimeZone\n    overdue\n    assignee {\n      id\n      name\n    }\n    blockedBy {\n      id\n      title\n      status\n    }\n  }\n": types.TaskRow_TaskFragmentDoc,
    "\n  query TasksPage($filter: TaskFilter, $after: String) {\n    tasks(filter: $filter, first: 50, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          title\n          status\n          ...TaskRow_task\n          ...TaskDialog_task\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.TasksPageDocument,
    "\n  query TaskOptions {\n    tasks(first: 100) {\n      edges {\n        node {\n          id\n          title\n        }\n      }\n    }\n  }\n": types.TaskOptionsDocument,
    "\n  mutation TasksComplete($id: ID!) {\n    updateTask(id: $id, input: { status: DONE }) {\n      id\n      status\n      progress\n      completedAt\n      updatedAt\n    }\n  }\n": types.TasksCompleteDocument,
    "\n  mutation WorkspaceAddMember($workspaceId: ID!, $email: String!, $role: Role!) {\n    addMember(workspaceId: $workspaceId, email: $email, role: $role) {\n      ...MemberRow_membership\n    }\n  }\n": types.WorkspaceAddMemberDocument,
    "\n  fragment ApiKeyRow_apiKey on ApiKey {\n    id\n    name\n    prefix\n    scopes\n    createdAt\n    revokedAt\n  }\n": types.ApiKeyRow_ApiKeyFragmentDoc,
    "\n  query WorkspaceApiKeys($first: Int!, $after: String) {\n    apiKeys(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          ...ApiKeyRow_apiKey\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.WorkspaceApiKeysDocument,
    "\n  mutation WorkspaceRevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      id\n      revokedAt\n    }\n  }\n": types.WorkspaceRevokeApiKeyDocument,
    "\n  mutation WorkspaceCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      key\n      apiKey {\n        id\n        name\n      }\n    }\n  }\n": types.WorkspaceCreateApiKeyDocument,
    "\n  mutation WorkspaceCreateWorkspace($name: String!) {\n    createWorkspace(name: $name) {\n      id\n      name\n    }\n  }\n": types.WorkspaceCreateWorkspaceDocument,
    "\n  fragment MemberRow_membership on Membership {\n    role\n    createdAt\n    user {\n      id\n      name\n      email\n    }\n  }\n": types.MemberRow_MembershipFragmentDoc,
    "\n  query WorkspaceMembers($first: Int!, $after: String) {\n    workspace {\n      id\n      members(first: $first, after: $after) {\n        edges {\n          cursor\n          node {\n            role\n            user {\n              id\n            }\n            ...MemberRow_membership\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": types.WorkspaceMembersDocument,
    "\n  mutation WorkspaceRemoveMember($workspaceId: ID!, $userId: ID!) {\n    removeMember(workspaceId: $workspaceId, userId: $userId)\n  }\n": types.WorkspaceRemoveMemberDocument,
    "\n  query WorkspacePage {\n    workspace {\n      id\n      name\n      createdAt\n    }\n  }\n": types.WorkspacePageDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SessionFields on AuthPayload {\n    accessToken\n    expiresAt\n    role\n    user {\n      id\n      name\n      email\n    }\n    workspace {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  fragment SessionFields on AuthPayload {\n    accessToken\n    expiresAt\n    role\n    user {\n      id\n      name\n      email\n    }\n    workspace {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      ...SessionFields\n    }\n  }\n"): (typeof documents)["\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      ...SessionFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LogIn($input: LogInInput!) {\n    logIn(input: $input) {\n      ...SessionFields\n    }\n  }\n"): (typeof documents)["\n  mutation LogIn($input: LogInInput!) {\n    logIn(input: $input) {\n      ...SessionFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RefreshSession {\n    refreshSession {\n      ...SessionFields\n    }\n  }\n"): (typeof documents)["\n  mutation RefreshSession {\n    refreshSession {\n      ...SessionFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SwitchWorkspace($workspaceId: ID!) {\n    switchWorkspace(workspaceId: $workspaceId) {\n      ...SessionFields\n    }\n  }\n"): (typeof documents)["\n  mutation SwitchWorkspace($workspaceId: ID!) {\n    switchWorkspace(workspaceId: $workspaceId) {\n      ...SessionFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LogOut {\n    logOut\n  }\n"): (typeof documents)["\n  mutation LogOut {\n    logOut\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MyWorkspaces {\n    me {\n      id\n      memberships {\n        role\n        workspace {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query MyWorkspaces {\n    me {\n      id\n      memberships {\n        role\n        workspace {\n          id\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AgentForm_agent on Agent {\n    id\n    name\n    provider\n    model\n    instructions\n    tools\n    updatedAt\n  }\n"): (typeof documents)["\n  fragment AgentForm_agent on Agent {\n    id\n    name\n    provider\n    model\n    instructions\n    tools\n    updatedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AgentFormCreate($input: CreateAgentInput!) {\n    createAgent(input: $input) {\n      id\n      ...AgentForm_agent\n    }\n  }\n"): (typeof documents)["\n  mutation AgentFormCreate($input: CreateAgentInput!) {\n    createAgent(input: $input) {\n      id\n      ...AgentForm_agent\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AgentFormUpdate($id: ID!, $input: UpdateAgentInput!) {\n    updateAgent(id: $id, input: $input) {\n      id\n      ...AgentForm_agent\n    }\n  }\n"): (typeof documents)["\n  mutation AgentFormUpdate($id: ID!, $input: UpdateAgentInput!) {\n    updateAgent(id: $id, input: $input) {\n      id\n      ...AgentForm_agent\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AgentPageAgent($id: ID!, $runsFirst: Int, $runsAfter: String) {\n    agent(id: $id) {\n      id\n      name\n      ...AgentForm_agent\n      runs(first: $runsFirst, after: $runsAfter) {\n        edges {\n          cursor\n          node {\n            id\n            ...RunHistoryRow_run\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AgentPageAgent($id: ID!, $runsFirst: Int, $runsAfter: String) {\n    agent(id: $id) {\n      id\n      name\n      ...AgentForm_agent\n      runs(first: $runsFirst, after: $runsAfter) {\n        edges {\n          cursor\n          node {\n            id\n            ...RunHistoryRow_run\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AgentPageDelete($id: ID!) {\n    deleteAgent(id: $id)\n  }\n"): (typeof documents)["\n  mutation AgentPageDelete($id: ID!) {\n    deleteAgent(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AgentsTableRow_agent on Agent {\n    id\n    name\n    provider\n    model\n    runs(first: 1) {\n      edges {\n        node {\n          id\n          status\n          createdAt\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment AgentsTableRow_agent on Agent {\n    id\n    name\n    provider\n    model\n    runs(first: 1) {\n      edges {\n        node {\n          id\n          status\n          createdAt\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AgentsPageAgents($first: Int, $after: String) {\n    agents(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          ...AgentsTableRow_agent\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query AgentsPageAgents($first: Int, $after: String) {\n    agents(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          ...AgentsTableRow_agent\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RunHistoryRow_run on AgentRun {\n    id\n    status\n    input\n    createdAt\n    startedAt\n    finishedAt\n  }\n"): (typeof documents)["\n  fragment RunHistoryRow_run on AgentRun {\n    id\n    status\n    input\n    createdAt\n    startedAt\n    finishedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription RunOutputEvents($runId: ID!, $after: String) {\n    agentRunEvents(runId: $runId, after: $after) {\n      cursor\n      type\n      delta\n      status\n      error\n      at\n      toolCall {\n        id\n        name\n        arguments\n        result\n        error\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription RunOutputEvents($runId: ID!, $after: String) {\n    agentRunEvents(runId: $runId, after: $after) {\n      cursor\n      type\n      delta\n      status\n      error\n      at\n      toolCall {\n        id\n        name\n        arguments\n        result\n        error\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RunSummary_run on AgentRun {\n    id\n    input\n    createdAt\n    startedAt\n    finishedAt\n    tokensUsed\n    error\n    startedBy {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  fragment RunSummary_run on AgentRun {\n    id\n    input\n    createdAt\n    startedAt\n    finishedAt\n    tokensUsed\n    error\n    startedBy {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RunPageRun($id: ID!) {\n    agentRun(id: $id) {\n      id\n      status\n      output\n      agent {\n        id\n        name\n      }\n      ...RunSummary_run\n    }\n  }\n"): (typeof documents)["\n  query RunPageRun($id: ID!) {\n    agentRun(id: $id) {\n      id\n      status\n      output\n      agent {\n        id\n        name\n      }\n      ...RunSummary_run\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RunPageCancel($id: ID!) {\n    cancelAgentRun(id: $id) {\n      id\n      status\n      output\n      ...RunSummary_run\n    }\n  }\n"): (typeof documents)["\n  mutation RunPageCancel($id: ID!) {\n    cancelAgentRun(id: $id) {\n      id\n      status\n      output\n      ...RunSummary_run\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartRunFormStart($input: StartAgentRunInput!) {\n    startAgentRun(input: $input) {\n      id\n      status\n      input\n      createdAt\n      startedAt\n      finishedAt\n    }\n  }\n"): (typeof documents)["\n  mutation StartRunFormStart($input: StartAgentRunInput!) {\n    startAgentRun(input: $input) {\n      id\n      status\n      input\n      createdAt\n      startedAt\n      finishedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BillingPage {\n    workspace {\n      id\n      plan {\n        name\n      }\n      subscription {\n        id\n        status\n        ...SubscriptionSummary_subscription\n      }\n      ...UsageMeters_workspace\n    }\n    plans {\n      name\n      ...PlanCard_plan\n    }\n  }\n"): (typeof documents)["\n  query BillingPage {\n    workspace {\n      id\n      plan {\n        name\n      }\n      subscription {\n        id\n        status\n        ...SubscriptionSummary_subscription\n      }\n      ...UsageMeters_workspace\n    }\n    plans {\n      name\n      ...PlanCard_plan\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BillingCreateCheckoutSession($plan: PlanName!) {\n    createCheckoutSession(plan: $plan) {\n      id\n      url\n    }\n  }\n"): (typeof documents)["\n  mutation BillingCreateCheckoutSession($plan: PlanName!) {\n    createCheckoutSession(plan: $plan) {\n      id\n      url\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BillingCancelSubscription {\n    cancelSubscription {\n      id\n      ...SubscriptionSummary_subscription\n    }\n  }\n"): (typeof documents)["\n  mutation BillingCancelSubscription {\n    cancelSubscription {\n      id\n      ...SubscriptionSummary_subscription\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment InvoiceRow_invoice on Invoice {\n    id\n    number\n    status\n    hostedInvoiceUrl\n    createdAt\n    periodStart\n    periodEnd\n    amountDue {\n      amount\n      currency\n    }\n    amountPaid {\n      amount\n      currency\n    }\n  }\n"): (typeof documents)["\n  fragment InvoiceRow_invoice on Invoice {\n    id\n    number\n    status\n    hostedInvoiceUrl\n    createdAt\n    periodStart\n    periodEnd\n    amountDue {\n      amount\n      currency\n    }\n    amountPaid {\n      amount\n      currency\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BillingInvoices($first: Int!, $after: String) {\n    invoices(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          ...InvoiceRow_invoice\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query BillingInvoices($first: Int!, $after: String) {\n    invoices(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          ...InvoiceRow_invoice\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PlanCard_plan on Plan {\n    name\n    monthlyPrice {\n      amount\n      currency\n    }\n    limits {\n      contacts\n      agents\n      apiCallsPerMonth\n      socialAccounts\n      storageGb\n    }\n  }\n"): (typeof documents)["\n  fragment PlanCard_plan on Plan {\n    name\n    monthlyPrice {\n      amount\n      currency\n    }\n    limits {\n      contacts\n      agents\n      apiCallsPerMonth\n      socialAccounts\n      storageGb\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SubscriptionSummary_subscription on BillingSubscription {\n    id\n    plan\n    status\n    cancelAtPeriodEnd\n    currentPeriodEnd\n  }\n"): (typeof documents)["\n  fragment SubscriptionSummary_subscription on BillingSubscription {\n    id\n    plan\n    status\n    cancelAtPeriodEnd\n    currentPeriodEnd\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment UsageMeters_workspace on Workspace {\n    plan {\n      name\n      limits {\n        contacts\n        agents\n        apiCallsPerMonth\n      }\n    }\n    usage {\n      contacts\n      agents\n      apiCallsThisPeriod\n      periodEnd\n    }\n  }\n"): (typeof documents)["\n  fragment UsageMeters_workspace on Workspace {\n    plan {\n      name\n      limits {\n        contacts\n        agents\n        apiCallsPerMonth\n      }\n    }\n    usage {\n      contacts\n      agents\n      apiCallsThisPeriod\n      periodEnd\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CalendarView($from: DateTimeISO!, $to: DateTimeISO!, $timeZone: String!) {\n    calendars {\n      id\n      name\n      kind\n    }\n    events(from: $from, to: $to) {\n      start\n      end\n      recurrenceId\n      seriesId\n      event {\n        id\n        title\n        timeZone\n        start\n        recurringEventId\n        recurrence {\n          rrule\n          exdates\n          rdates\n        }\n      }\n      ...TimeGrid_occurrence\n      ...EventEditor_occurrence\n    }\n  }\n"): (typeof documents)["\n  query CalendarView($from: DateTimeISO!, $to: DateTimeISO!, $timeZone: String!) {\n    calendars {\n      id\n      name\n      kind\n    }\n    events(from: $from, to: $to) {\n      start\n      end\n      recurrenceId\n      seriesId\n      event {\n        id\n        title\n        timeZone\n        start\n        recurringEventId\n        recurrence {\n          rrule\n          exdates\n          rdates\n        }\n      }\n      ...TimeGrid_occurrence\n      ...EventEditor_occurrence\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ConflictList_conflict on EventConflict {\n    user {\n      id\n      name\n    }\n    occurrence {\n      start\n      end\n    }\n    conflictingWith {\n      start\n      end\n      seriesId\n      event {\n        id\n        title\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment ConflictList_conflict on EventConflict {\n    user {\n      id\n      name\n    }\n    occurrence {\n      start\n      end\n    }\n    conflictingWith {\n      start\n      end\n      seriesId\n      event {\n        id\n        title\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment EventEditor_occurrence on EventOccurrence {\n    start\n    end\n    startDate\n    endDate\n    recurrenceId\n    seriesId\n    event {\n      id\n      title\n      description\n      location\n      allDay\n      timeZone\n      start\n      end\n      startDate\n      endDate\n      recurringEventId\n      recurrence {\n        rrule\n        exdates\n        rdates\n      }\n      calendar {\n        id\n      }\n      attendees {\n        name\n        rsvp\n        user {\n          id\n        }\n        correspondent {\n          email\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment EventEditor_occurrence on EventOccurrence {\n    start\n    end\n    startDate\n    endDate\n    recurrenceId\n    seriesId\n    event {\n      id\n      title\n      description\n      location\n      allDay\n      timeZone\n      start\n      end\n      startDate\n      endDate\n      recurringEventId\n      recurrence {\n        rrule\n        exdates\n        rdates\n      }\n      calendar {\n        id\n      }\n      attendees {\n        name\n        rsvp\n        user {\n          id\n        }\n        correspondent {\n          email\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CalendarCreateEvent($calendarId: ID!, $input: EventInput!) {\n    createEvent(calendarId: $calendarId, input: $input) {\n      event {\n        id\n        title\n      }\n      conflicts {\n        ...ConflictList_conflict\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CalendarCreateEvent($calendarId: ID!, $input: EventInput!) {\n    createEvent(calendarId: $calendarId, input: $input) {\n      event {\n        id\n        title\n      }\n      conflicts {\n        ...ConflictList_conflict\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CalendarUpdateEvent($id: ID!, $input: EventInput!, $scope: EventEditScope!, $occurrence: DateTimeISO) {\n    updateEvent(id: $id, input: $input, scope: $scope, occurrence: $occurrence) {\n      event {\n        id\n        title\n        start\n        end\n        updatedAt\n      }\n      conflicts {\n        ...ConflictList_conflict\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CalendarUpdateEvent($id: ID!, $input: EventInput!, $scope: EventEditScope!, $occurrence: DateTimeISO) {\n    updateEvent(id: $id, input: $input, scope: $scope, occurrence: $occurrence) {\n      event {\n        id\n        title\n        start\n        end\n        updatedAt\n      }\n      conflicts {\n        ...ConflictList_conflict\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CalendarDeleteEvent($id: ID!, $scope: EventEditScope!, $occurrence: DateTimeISO) {\n    deleteEvent(id: $id, scope: $scope, occurrence: $occurrence)\n  }\n"): (typeof documents)["\n  mutation CalendarDeleteEvent($id: ID!, $scope: EventEditScope!, $occurrence: DateTimeISO) {\n    deleteEvent(id: $id, scope: $scope, occurrence: $occurrence)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CalendarFreeSlots(\n    $attendeeIds: [ID!]!\n    $durationMinutes: Int!\n    $from: DateTimeISO!\n    $to: DateTimeISO!\n    $bufferMinutes: Int!\n  ) {\n    freeSlots(\n      attendeeIds: $attendeeIds\n      durationMinutes: $durationMinutes\n      from: $from\n      to: $to\n      bufferMinutes: $bufferMinutes\n      granularityMinutes: 15\n      first: 50\n    ) {\n      slots {\n        start\n        end\n      }\n      attendees {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  query CalendarFreeSlots(\n    $attendeeIds: [ID!]!\n    $durationMinutes: Int!\n    $from: DateTimeISO!\n    $to: DateTimeISO!\n    $bufferMinutes: Int!\n  ) {\n    freeSlots(\n      attendeeIds: $attendeeIds\n      durationMinutes: $durationMinutes\n      from: $from\n      to: $to\n      bufferMinutes: $bufferMinutes\n      granularityMinutes: 15\n      first: 50\n    ) {\n      slots {\n        start\n        end\n      }\n      attendees {\n        id\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CalendarMoveConflicts($id: ID!, $start: DateTimeISO!, $end: DateTimeISO!) {\n    eventMoveConflicts(id: $id, start: $start, end: $end) {\n      ...ConflictList_conflict\n    }\n  }\n"): (typeof documents)["\n  query CalendarMoveConflicts($id: ID!, $start: DateTimeISO!, $end: DateTimeISO!) {\n    eventMoveConflicts(id: $id, start: $start, end: $end) {\n      ...ConflictList_conflict\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CalendarMoveEvent($id: ID!, $input: EventInput!, $scope: EventEditScope!, $occurrence: DateTimeISO) {\n    updateEvent(id: $id, input: $input, scope: $scope, occurrence: $occurrence) {\n      event {\n        id\n        start\n        end\n        updatedAt\n      }\n      conflicts {\n        ...ConflictList_conflict\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CalendarMoveEvent($id: ID!, $input: EventInput!, $scope: EventEditScope!, $occurrence: DateTimeISO) {\n    updateEvent(id: $id, input: $input, scope: $scope, occurrence: $occurrence) {\n      event {\n        id\n        start\n        end\n        updatedAt\n      }\n      conflicts {\n        ...ConflictList_conflict\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CalendarSeriesTiming($id: ID!) {\n    event(id: $id) {\n      id\n      start\n      end\n      startDate\n      timeZone\n      recurrence {\n        rrule\n        exdates\n        rdates\n      }\n    }\n  }\n"): (typeof documents)["\n  query CalendarSeriesTiming($id: ID!) {\n    event(id: $id) {\n      id\n      start\n      end\n      startDate\n      timeZone\n      recurrence {\n        rrule\n        exdates\n        rdates\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TimeGrid_occurrence on EventOccurrence {\n    seriesId\n    recurrenceId\n    allDay\n    startDate\n    endDate\n    localStart(timeZone: $timeZone)\n    localEnd(timeZone: $timeZone)\n    event {\n      id\n      title\n      location\n      status\n      recurringEventId\n      recurrence {\n        rrule\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment TimeGrid_occurrence on EventOccurrence {\n    seriesId\n    recurrenceId\n    allDay\n    startDate\n    endDate\n    localStart(timeZone: $timeZone)\n    localEnd(timeZone: $timeZone)\n    event {\n      id\n      title\n      location\n      status\n      recurringEventId\n      recurrence {\n        rrule\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CalendarWorkspacePeople {\n    workspace {\n      id\n      members(first: 100) {\n        edges {\n          node {\n            user {\n              id\n              name\n              email\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query CalendarWorkspacePeople {\n    workspace {\n      id\n      members(first: 100) {\n        edges {\n          node {\n            user {\n              id\n              name\n              email\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment CompanyRow_company on Company {\n    id\n    name\n    domain\n    industry\n    size\n  }\n"): (typeof documents)["\n  fragment CompanyRow_company on Company {\n    id\n    name\n    domain\n    industry\n    size\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CompaniesPage($after: String) {\n    companies(first: 20, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          ...CompanyRow_company\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query CompaniesPage($after: String) {\n    companies(first: 20, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          ...CompanyRow_company\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CompaniesPageCreate($input: CreateCompanyInput!) {\n    createCompany(input: $input) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  mutation CompaniesPageCreate($input: CreateCompanyInput!) {\n    createCompany(input: $input) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ContactForm_contact on Contact {\n    id\n    name\n    emails\n    phones\n    title\n    company {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  fragment ContactForm_contact on Contact {\n    id\n    name\n    emails\n    phones\n    title\n    company {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ContactFormCompanies {\n    companies(first: 100) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ContactFormCompanies {\n    companies(first: 100) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ContactFormCreate($input: CreateContactInput!) {\n    createContact(input: $input) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  mutation ContactFormCreate($input: CreateContactInput!) {\n    createContact(input: $input) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ContactFormUpdate($id: ID!, $input: UpdateContactInput!) {\n    updateContact(id: $id, input: $input) {\n      id\n      ...ContactForm_contact\n      ...ContactPageDetails_contact\n    }\n  }\n"): (typeof documents)["\n  mutation ContactFormUpdate($id: ID!, $input: UpdateContactInput!) {\n    updateContact(id: $id, input: $input) {\n      id\n      ...ContactForm_contact\n      ...ContactPageDetails_contact\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ContactPage($id: ID!, $after: String) {\n    contact(id: $id) {\n      id\n      name\n      ...ContactPageDetails_contact\n      ...ContactForm_contact\n      timeline(first: 20, after: $after) {\n        edges {\n          cursor\n          node {\n            id\n            occurredAt\n            ...TimelineItem_activity\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ContactPage($id: ID!, $after: String) {\n    contact(id: $id) {\n      id\n      name\n      ...ContactPageDetails_contact\n      ...ContactForm_contact\n      timeline(first: 20, after: $after) {\n        edges {\n          cursor\n          node {\n            id\n            occurredAt\n            ...TimelineItem_activity\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ContactPageDetails_contact on Contact {\n    id\n    name\n    emails\n    phones\n    title\n    tags\n    createdAt\n    updatedAt\n    company {\n      id\n      name\n      domain\n    }\n    owner {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  fragment ContactPageDetails_contact on Contact {\n    id\n    name\n    emails\n    phones\n    title\n    tags\n    createdAt\n    updatedAt\n    company {\n      id\n      name\n      domain\n    }\n    owner {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ContactPageDelete($id: ID!) {\n    deleteContact(id: $id)\n  }\n"): (typeof documents)["\n  mutation ContactPageDelete($id: ID!) {\n    deleteContact(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TimelineItem_activity on Activity {\n    id\n    type\n    subject\n    body\n    occurredAt\n    author {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  fragment TimelineItem_activity on Activity {\n    id\n    type\n    subject\n    body\n    occurredAt\n    author {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LogActivityForm($input: LogActivityInput!) {\n    logActivity(input: $input) {\n      id\n      occurredAt\n      ...TimelineItem_activity\n    }\n  }\n"): (typeof documents)["\n  mutation LogActivityForm($input: LogActivityInput!) {\n    logActivity(input: $input) {\n      id\n      occurredAt\n      ...TimelineItem_activity\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ContactRow_contact on Contact {\n    id\n    name\n    emails\n    phones\n    title\n    company {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  fragment ContactRow_contact on Contact {\n    id\n    name\n    emails\n    phones\n    title\n    company {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ContactsPage($search: String, $companyId: ID, $after: String) {\n    contacts(search: $search, filter: { companyId: $companyId }, first: 20, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          ...ContactRow_contact\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n    workspace {\n      id\n      plan {\n        name\n        limits {\n          contacts\n        }\n      }\n      usage {\n        contacts\n      }\n    }\n  }\n"): (typeof documents)["\n  query ContactsPage($search: String, $companyId: ID, $after: String) {\n    contacts(search: $search, filter: { companyId: $companyId }, first: 20, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          ...ContactRow_contact\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n    workspace {\n      id\n      plan {\n        name\n        limits {\n          contacts\n        }\n      }\n      usage {\n        contacts\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ContactsPageCompany($id: ID!) {\n    company(id: $id) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  query ContactsPageCompany($id: ID!) {\n    company(id: $id) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment DealCard_deal on Deal {\n    id\n    title\n    stage\n    expectedCloseDate\n    amount {\n      amount\n      currency\n    }\n    contact {\n      id\n      name\n    }\n    company {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  fragment DealCard_deal on Deal {\n    id\n    title\n    stage\n    expectedCloseDate\n    amount {\n      amount\n      currency\n    }\n    contact {\n      id\n      name\n    }\n    company {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DealsBoard($after: String) {\n    deals(first: 100, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          title\n          stage\n          amount {\n            amount\n            currency\n          }\n          ...DealCard_deal\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n    workspace {\n      id\n      pipeline {\n        stage\n        count\n        totals {\n          amount\n          currency\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query DealsBoard($after: String) {\n    deals(first: 100, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          title\n          stage\n          amount {\n            amount\n            currency\n          }\n          ...DealCard_deal\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n    workspace {\n      id\n      pipeline {\n        stage\n        count\n        totals {\n          amount\n          currency\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DealsBoardPipeline {\n    workspace {\n      id\n      pipeline {\n        stage\n        count\n        totals {\n          amount\n          currency\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query DealsBoardPipeline {\n    workspace {\n      id\n      pipeline {\n        stage\n        count\n        totals {\n          amount\n          currency\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DealsBoardMove($id: ID!, $stage: DealStage!) {\n    moveDeal(id: $id, stage: $stage) {\n      id\n      stage\n      updatedAt\n    }\n  }\n"): (typeof documents)["\n  mutation DealsBoardMove($id: ID!, $stage: DealStage!) {\n    moveDeal(id: $id, stage: $stage) {\n      id\n      stage\n      updatedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query NewDealContacts {\n    contacts(first: 100) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query NewDealContacts {\n    contacts(first: 100) {\n      edges {\n        node {\n          id\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation NewDealCreate($input: CreateDealInput!) {\n    createDeal(input: $input) {\n      id\n      title\n      stage\n      amount {\n        amount\n        currency\n      }\n      ...DealCard_deal\n    }\n  }\n"): (typeof documents)["\n  mutation NewDealCreate($input: CreateDealInput!) {\n    createDeal(input: $input) {\n      id\n      title\n      stage\n      amount {\n        amount\n        currency\n      }\n      ...DealCard_deal\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AttachmentList_message on Message {\n    id\n    attachments {\n      part\n      filename\n      contentType\n      size\n    }\n  }\n"): (typeof documents)["\n  fragment AttachmentList_message on Message {\n    id\n    attachments {\n      part\n      filename\n      contentType\n      size\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AttachmentContent($id: ID!, $part: String!) {\n    message(id: $id) {\n      id\n      attachment(part: $part) {\n        part\n        content\n      }\n    }\n  }\n"): (typeof documents)["\n  query AttachmentContent($id: ID!, $part: String!) {\n    message(id: $id) {\n      id\n      attachment(part: $part) {\n        part\n        content\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConnectAccountDialog($input: ConnectMailAccountInput!) {\n    connectMailAccount(input: $input) {\n      id\n      address\n      syncState\n      folders {\n        id\n        path\n        role\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ConnectAccountDialog($input: ConnectMailAccountInput!) {\n    connectMailAccount(input: $input) {\n      id\n      address\n      syncState\n      folders {\n        id\n        path\n        role\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ContactMessages($id: ID!, $after: String) {\n    contact(id: $id) {\n      id\n      messages(first: 10, after: $after) {\n        edges {\n          cursor\n          node {\n            id\n            subject\n            snippet\n            sentAt\n            seen\n            from {\n              email\n              name\n            }\n            thread {\n              id\n            }\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ContactMessages($id: ID!, $after: String) {\n    contact(id: $id) {\n      id\n      messages(first: 10, after: $after) {\n        edges {\n          cursor\n          node {\n            id\n            subject\n            snippet\n            sentAt\n            seen\n            from {\n              email\n              name\n            }\n            thread {\n              id\n            }\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment DraftEditor_draft on Draft {\n    id\n    subject\n    body\n    state\n    sentAt\n    sendError\n    updatedAt\n    inReplyTo\n    toAddresses {\n      name\n      email\n    }\n    ccAddresses {\n      name\n      email\n    }\n    account {\n      id\n      address\n    }\n  }\n"): (typeof documents)["\n  fragment DraftEditor_draft on Draft {\n    id\n    subject\n    body\n    state\n    sentAt\n    sendError\n    updatedAt\n    inReplyTo\n    toAddresses {\n      name\n      email\n    }\n    ccAddresses {\n      name\n      email\n    }\n    account {\n      id\n      address\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DraftReplyDraft($id: ID!) {\n    draft(id: $id) {\n      id\n      ...DraftEditor_draft\n    }\n  }\n"): (typeof documents)["\n  query DraftReplyDraft($id: ID!) {\n    draft(id: $id) {\n      id\n      ...DraftEditor_draft\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DraftReplyOpenDrafts {\n    drafts(first: 50) {\n      edges {\n        node {\n          id\n          state\n          replyToMessageId\n          updatedAt\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query DraftReplyOpenDrafts {\n    drafts(first: 50) {\n      edges {\n        node {\n          id\n          state\n          replyToMessageId\n          updatedAt\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DraftReplyWrite($messageId: ID!, $instructions: String) {\n    draftReply(messageId: $messageId, instructions: $instructions) {\n      id\n      ...DraftEditor_draft\n    }\n  }\n"): (typeof documents)["\n  mutation DraftReplyWrite($messageId: ID!, $instructions: String) {\n    draftReply(messageId: $messageId, instructions: $instructions) {\n      id\n      ...DraftEditor_draft\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DraftEditorUpdate($id: ID!, $input: UpdateDraftInput!) {\n    updateDraft(id: $id, input: $input) {\n      id\n      ...DraftEditor_draft\n    }\n  }\n"): (typeof documents)["\n  mutation DraftEditorUpdate($id: ID!, $input: UpdateDraftInput!) {\n    updateDraft(id: $id, input: $input) {\n      id\n      ...DraftEditor_draft\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DraftEditorSend($id: ID!) {\n    sendDraft(id: $id) {\n      id\n      ...DraftEditor_draft\n    }\n  }\n"): (typeof documents)["\n  mutation DraftEditorSend($id: ID!) {\n    sendDraft(id: $id) {\n      id\n      ...DraftEditor_draft\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription InboxPageEvents($after: String) {\n    inboxEvents(after: $after) {\n      cursor\n      type\n      syncState\n      account {\n        id\n        syncState\n        syncError\n        lastSyncedAt\n        folders {\n          id\n          path\n          role\n        }\n      }\n      message {\n        id\n        subject\n        from {\n          email\n          name\n        }\n        ...InboxListNode_message\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription InboxPageEvents($after: String) {\n    inboxEvents(after: $after) {\n      cursor\n      type\n      syncState\n      account {\n        id\n        syncState\n        syncError\n        lastSyncedAt\n        folders {\n          id\n          path\n          role\n        }\n      }\n      message {\n        id\n        subject\n        from {\n          email\n          name\n        }\n        ...InboxListNode_message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment InboxListNode_message on Message {\n    id\n    sentAt\n    category\n    folder {\n      id\n    }\n    account {\n      id\n      folders {\n        id\n      }\n    }\n    ...MessageRow_message\n  }\n"): (typeof documents)["\n  fragment InboxListNode_message on Message {\n    id\n    sentAt\n    category\n    folder {\n      id\n    }\n    account {\n      id\n      folders {\n        id\n      }\n    }\n    ...MessageRow_message\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InboxMessages($filter: MessageFilter!, $after: String) {\n    messages(filter: $filter, first: 25, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          ...InboxListNode_message\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query InboxMessages($filter: MessageFilter!, $after: String) {\n    messages(filter: $filter, first: 25, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          ...InboxListNode_message\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InboxAccounts {\n    inboxEventsCursor\n    mailAccounts(first: 100) {\n      edges {\n        node {\n          id\n          address\n          displayName\n          syncState\n          syncError\n          lastSyncedAt\n          folders {\n            id\n            path\n            role\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query InboxAccounts {\n    inboxEventsCursor\n    mailAccounts(first: 100) {\n      edges {\n        node {\n          id\n          address\n          displayName\n          syncState\n          syncError\n          lastSyncedAt\n          folders {\n            id\n            path\n            role\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InboxPageMark($ids: [ID!]!, $seen: Boolean!) {\n    markMessages(ids: $ids, seen: $seen) {\n      id\n      seen\n    }\n  }\n"): (typeof documents)["\n  mutation InboxPageMark($ids: [ID!]!, $seen: Boolean!) {\n    markMessages(ids: $ids, seen: $seen) {\n      id\n      seen\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InboxPageArchive($ids: [ID!]!) {\n    archiveMessages(ids: $ids) {\n      id\n      ...InboxListNode_message\n    }\n  }\n"): (typeof documents)["\n  mutation InboxPageArchive($ids: [ID!]!) {\n    archiveMessages(ids: $ids) {\n      id\n      ...InboxListNode_message\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MessageRow_message on Message {\n    id\n    subject\n    snippet\n    sentAt\n    seen\n    flagged\n    category\n    from {\n      email\n      name\n    }\n    thread {\n      id\n      messageCount\n    }\n    attachments {\n      part\n    }\n  }\n"): (typeof documents)["\n  fragment MessageRow_message on Message {\n    id\n    subject\n    snippet\n    sentAt\n    seen\n    flagged\n    category\n    from {\n      email\n      name\n    }\n    thread {\n      id\n      messageCount\n    }\n    attachments {\n      part\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RecategorizeMenu($messageId: ID!, $category: MessageCategory!) {\n    recategorize(messageId: $messageId, category: $category) {\n      message {\n        id\n        category\n        urgency\n        triageReason\n        triageSource\n        ...InboxListNode_message\n      }\n      proposedRule {\n        id\n        summary\n        state\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RecategorizeMenu($messageId: ID!, $category: MessageCategory!) {\n    recategorize(messageId: $messageId, category: $category) {\n      message {\n        id\n        category\n        urgency\n        triageReason\n        triageSource\n        ...InboxListNode_message\n      }\n      proposedRule {\n        id\n        summary\n        state\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RecategorizeAcceptRule($id: ID!) {\n    acceptTriageRule(id: $id, applyToExisting: true) {\n      rule {\n        id\n        summary\n        state\n      }\n      retriagedMessages\n    }\n  }\n"): (typeof documents)["\n  mutation RecategorizeAcceptRule($id: ID!) {\n    acceptTriageRule(id: $id, applyToExisting: true) {\n      rule {\n        id\n        summary\n        state\n      }\n      retriagedMessages\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ThreadMessage_message on Message {\n    id\n    subject\n    sentAt\n    seen\n    category\n    urgency\n    triageReason\n    textBody\n    htmlBody\n    folder {\n      id\n      role\n      path\n    }\n    from {\n      email\n      name\n      contact {\n        id\n        name\n        deals(first: 5) {\n          edges {\n            node {\n              id\n              title\n              stage\n              amount {\n                amount\n                currency\n              }\n            }\n          }\n        }\n      }\n    }\n    to {\n      email\n      name\n      contact {\n        id\n        name\n      }\n    }\n    cc {\n      email\n      name\n      contact {\n        id\n        name\n      }\n    }\n    ...AttachmentList_message\n  }\n"): (typeof documents)["\n  fragment ThreadMessage_message on Message {\n    id\n    subject\n    sentAt\n    seen\n    category\n    urgency\n    triageReason\n    textBody\n    htmlBody\n    folder {\n      id\n      role\n      path\n    }\n    from {\n      email\n      name\n      contact {\n        id\n        name\n        deals(first: 5) {\n          edges {\n            node {\n              id\n              title\n              stage\n              amount {\n                amount\n                currency\n              }\n            }\n          }\n        }\n      }\n    }\n    to {\n      email\n      name\n      contact {\n        id\n        name\n      }\n    }\n    cc {\n      email\n      name\n      contact {\n        id\n        name\n      }\n    }\n    ...AttachmentList_message\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ThreadPage($id: ID!, $after: String) {\n    thread(id: $id) {\n      id\n      subject\n      messageCount\n      lastMessageAt\n      messages(first: 50, after: $after) {\n        edges {\n          cursor\n          node {\n            id\n            seen\n            folder {\n              id\n              role\n            }\n            ...ThreadMessage_message\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ThreadPage($id: ID!, $after: String) {\n    thread(id: $id) {\n      id\n      subject\n      messageCount\n      lastMessageAt\n      messages(first: 50, after: $after) {\n        edges {\n          cursor\n          node {\n            id\n            seen\n            folder {\n              id\n              role\n            }\n            ...ThreadMessage_message\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ThreadPageMark($ids: [ID!]!, $seen: Boolean!) {\n    markMessages(ids: $ids, seen: $seen) {\n      id\n      seen\n    }\n  }\n"): (typeof documents)["\n  mutation ThreadPageMark($ids: [ID!]!, $seen: Boolean!) {\n    markMessages(ids: $ids, seen: $seen) {\n      id\n      seen\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ThreadPageArchive($ids: [ID!]!) {\n    archiveMessages(ids: $ids) {\n      id\n      folder {\n        id\n        role\n        path\n      }\n      ...InboxListNode_message\n    }\n  }\n"): (typeof documents)["\n  mutation ThreadPageArchive($ids: [ID!]!) {\n    archiveMessages(ids: $ids) {\n      id\n      folder {\n        id\n        role\n        path\n      }\n      ...InboxListNode_message\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SocialAccountPicker {\n    socialAccounts(first: 100) {\n      edges {\n        node {\n          id\n          network\n          handle\n          state\n          maxPostLength\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query SocialAccountPicker {\n    socialAccounts(first: 100) {\n      edges {\n        node {\n          id\n          network\n          handle\n          state\n          maxPostLength\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SocialAccountRow_account on SocialAccount {\n    id\n    network\n    handle\n    displayName\n    serviceUrl\n    state\n    maxPostLength\n    createdAt\n  }\n"): (typeof documents)["\n  fragment SocialAccountRow_account on SocialAccount {\n    id\n    network\n    handle\n    displayName\n    serviceUrl\n    state\n    maxPostLength\n    createdAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SocialAccountsPage($after: String) {\n    mastodonConnectErrors\n    socialAccounts(first: 20, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          handle\n          ...SocialAccountRow_account\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query SocialAccountsPage($after: String) {\n    mastodonConnectErrors\n    socialAccounts(first: 20, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          handle\n          ...SocialAccountRow_account\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SocialAccountsDisconnect($id: ID!) {\n    disconnectSocialAccount(id: $id)\n  }\n"): (typeof documents)["\n  mutation SocialAccountsDisconnect($id: ID!) {\n    disconnectSocialAccount(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SocialComposeEdit($id: ID!) {\n    post(id: $id) {\n      id\n      state\n      ...ComposerForm_post\n    }\n  }\n"): (typeof documents)["\n  query SocialComposeEdit($id: ID!) {\n    post(id: $id) {\n      id\n      state\n      ...ComposerForm_post\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ComposerForm_post on Post {\n    id\n    text\n    state\n    timeZone\n    scheduledLocal\n    account {\n      id\n    }\n  }\n"): (typeof documents)["\n  fragment ComposerForm_post on Post {\n    id\n    text\n    state\n    timeZone\n    scheduledLocal\n    account {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ComposerPostFields_post on Post {\n    id\n    text\n    state\n    network\n    scheduledAt\n    timeZone\n    scheduledLocal\n    failureReason\n    updatedAt\n    account {\n      id\n      handle\n    }\n  }\n"): (typeof documents)["\n  fragment ComposerPostFields_post on Post {\n    id\n    text\n    state\n    network\n    scheduledAt\n    timeZone\n    scheduledLocal\n    failureReason\n    updatedAt\n    account {\n      id\n      handle\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ComposerCreatePost($input: CreatePostInput!) {\n    createPost(input: $input) {\n      id\n      ...ComposerPostFields_post\n    }\n  }\n"): (typeof documents)["\n  mutation ComposerCreatePost($input: CreatePostInput!) {\n    createPost(input: $input) {\n      id\n      ...ComposerPostFields_post\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ComposerUpdatePost($id: ID!, $input: UpdatePostInput!) {\n    updatePost(id: $id, input: $input) {\n      id\n      ...ComposerPostFields_post\n    }\n  }\n"): (typeof documents)["\n  mutation ComposerUpdatePost($id: ID!, $input: UpdatePostInput!) {\n    updatePost(id: $id, input: $input) {\n      id\n      ...ComposerPostFields_post\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ComposerSchedulePost($id: ID!, $at: String!, $timeZone: String!) {\n    schedulePost(id: $id, at: $at, timeZone: $timeZone) {\n      id\n      ...ComposerPostFields_post\n    }\n  }\n"): (typeof documents)["\n  mutation ComposerSchedulePost($id: ID!, $at: String!, $timeZone: String!) {\n    schedulePost(id: $id, at: $at, timeZone: $timeZone) {\n      id\n      ...ComposerPostFields_post\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ComposerPublishPost($id: ID!) {\n    publishPost(id: $id) {\n      id\n      ...ComposerPostFields_post\n    }\n  }\n"): (typeof documents)["\n  mutation ComposerPublishPost($id: ID!) {\n    publishPost(id: $id) {\n      id\n      ...ComposerPostFields_post\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConnectBlueskyDialog($input: ConnectBlueskyAccountInput!) {\n    connectBlueskyAccount(input: $input) {\n      id\n      ...SocialAccountRow_account\n    }\n  }\n"): (typeof documents)["\n  mutation ConnectBlueskyDialog($input: ConnectBlueskyAccountInput!) {\n    connectBlueskyAccount(input: $input) {\n      id\n      ...SocialAccountRow_account\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConnectMastodonDialog($instanceUrl: String!) {\n    startMastodonConnect(instanceUrl: $instanceUrl) {\n      authorizeUrl\n    }\n  }\n"): (typeof documents)["\n  mutation ConnectMastodonDialog($instanceUrl: String!) {\n    startMastodonConnect(instanceUrl: $instanceUrl) {\n      authorizeUrl\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ContactSocialProfiles($id: ID!) {\n    contact(id: $id) {\n      id\n      socialProfiles {\n        id\n        network\n        handle\n        displayName\n        url\n      }\n    }\n  }\n"): (typeof documents)["\n  query ContactSocialProfiles($id: ID!) {\n    contact(id: $id) {\n      id\n      socialProfiles {\n        id\n        network\n        handle\n        displayName\n        url\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ContactLinkSocialProfile($contactId: ID!, $network: SocialNetwork!, $handle: String!) {\n    linkSocialProfile(contactId: $contactId, network: $network, handle: $handle) {\n      id\n      handle\n    }\n  }\n"): (typeof documents)["\n  mutation ContactLinkSocialProfile($contactId: ID!, $network: SocialNetwork!, $handle: String!) {\n    linkSocialProfile(contactId: $contactId, network: $network, handle: $handle) {\n      id\n      handle\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ContactUnlinkSocialProfile($contactId: ID!, $profileId: ID!) {\n    unlinkSocialProfile(contactId: $contactId, profileId: $profileId)\n  }\n"): (typeof documents)["\n  mutation ContactUnlinkSocialProfile($contactId: ID!, $profileId: ID!) {\n    unlinkSocialProfile(contactId: $contactId, profileId: $profileId)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MetricsChart_metrics on PostMetrics {\n    at\n    likes\n    reposts\n    replies\n  }\n"): (typeof documents)["\n  fragment MetricsChart_metrics on PostMetrics {\n    at\n    likes\n    reposts\n    replies\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PostPage_post on Post {\n    id\n    text\n    network\n    state\n    scheduledAt\n    timeZone\n    scheduledLocal\n    publishedAt\n    remoteId\n    url\n    failureReason\n    lastError\n    attempts\n    createdAt\n    updatedAt\n    account {\n      id\n      handle\n      state\n    }\n    author {\n      id\n      name\n    }\n    metrics {\n      at\n      likes\n      reposts\n      replies\n    }\n  }\n"): (typeof documents)["\n  fragment PostPage_post on Post {\n    id\n    text\n    network\n    state\n    scheduledAt\n    timeZone\n    scheduledLocal\n    publishedAt\n    remoteId\n    url\n    failureReason\n    lastError\n    attempts\n    createdAt\n    updatedAt\n    account {\n      id\n      handle\n      state\n    }\n    author {\n      id\n      name\n    }\n    metrics {\n      at\n      likes\n      reposts\n      replies\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PostPage($id: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {\n    postEventsCursor\n    post(id: $id) {\n      id\n      ...PostPage_post\n      metricsHistory(from: $from, to: $to) {\n        ...MetricsChart_metrics\n      }\n    }\n  }\n"): (typeof documents)["\n  query PostPage($id: ID!, $from: DateTimeISO!, $to: DateTimeISO!) {\n    postEventsCursor\n    post(id: $id) {\n      id\n      ...PostPage_post\n      metricsHistory(from: $from, to: $to) {\n        ...MetricsChart_metrics\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription PostPageStatus($postId: ID!, $after: String) {\n    postStatusChanged(postId: $postId, after: $after) {\n      cursor\n      postId\n      state\n      attempts\n      reason\n      deleted\n      at\n      post {\n        id\n        ...PostPage_post\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription PostPageStatus($postId: ID!, $after: String) {\n    postStatusChanged(postId: $postId, after: $after) {\n      cursor\n      postId\n      state\n      attempts\n      reason\n      deleted\n      at\n      post {\n        id\n        ...PostPage_post\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PostPagePublish($id: ID!) {\n    publishPost(id: $id) {\n      id\n      ...PostPage_post\n    }\n  }\n"): (typeof documents)["\n  mutation PostPagePublish($id: ID!) {\n    publishPost(id: $id) {\n      id\n      ...PostPage_post\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PostPageDelete($id: ID!) {\n    deletePost(id: $id)\n  }\n"): (typeof documents)["\n  mutation PostPageDelete($id: ID!) {\n    deletePost(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment QueueRow_post on Post {\n    id\n    text\n    network\n    state\n    scheduledAt\n    timeZone\n    scheduledLocal\n    publishedAt\n    failureReason\n    lastError\n    updatedAt\n    account {\n      id\n      handle\n    }\n  }\n"): (typeof documents)["\n  fragment QueueRow_post on Post {\n    id\n    text\n    network\n    state\n    scheduledAt\n    timeZone\n    scheduledLocal\n    publishedAt\n    failureReason\n    lastError\n    updatedAt\n    account {\n      id\n      handle\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SocialQueue($filter: PostFilter, $after: String) {\n    postEventsCursor\n    posts(filter: $filter, first: 20, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          ...QueueRow_post\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query SocialQueue($filter: PostFilter, $after: String) {\n    postEventsCursor\n    posts(filter: $filter, first: 20, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          ...QueueRow_post\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation QueueUnschedulePost($id: ID!) {\n    unschedulePost(id: $id) {\n      id\n      state\n      scheduledAt\n      updatedAt\n    }\n  }\n"): (typeof documents)["\n  mutation QueueUnschedulePost($id: ID!) {\n    unschedulePost(id: $id) {\n      id\n      state\n      scheduledAt\n      updatedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation QueueDeletePost($id: ID!) {\n    deletePost(id: $id)\n  }\n"): (typeof documents)["\n  mutation QueueDeletePost($id: ID!) {\n    deletePost(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription SocialQueueEvents($after: String) {\n    postStatusChanged(after: $after) {\n      cursor\n      postId\n      state\n      deleted\n      post {\n        id\n        ...QueueRow_post\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription SocialQueueEvents($after: String) {\n    postStatusChanged(after: $after) {\n      cursor\n      postId\n      state\n      deleted\n      post {\n        id\n        ...QueueRow_post\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation QueueReschedulePost($id: ID!, $at: String!, $timeZone: String!) {\n    schedulePost(id: $id, at: $at, timeZone: $timeZone) {\n      id\n      state\n      scheduledAt\n      timeZone\n      scheduledLocal\n      updatedAt\n    }\n  }\n"): (typeof documents)["\n  mutation QueueReschedulePost($id: ID!, $at: String!, $timeZone: String!) {\n    schedulePost(id: $id, at: $at, timeZone: $timeZone) {\n      id\n      state\n      scheduledAt\n      timeZone\n      scheduledLocal\n      updatedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SuggestionRow_suggestion on SocialSuggestion {\n    reason\n    commonFollows\n    score\n    profile {\n      id\n      network\n      handle\n      displayName\n      url\n    }\n    contact {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  fragment SuggestionRow_suggestion on SocialSuggestion {\n    reason\n    commonFollows\n    score\n    profile {\n      id\n      network\n      handle\n      displayName\n      url\n    }\n    contact {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SocialSuggestions($accountId: ID!) {\n    suggestions(accountId: $accountId, first: 20) {\n      profile {\n        id\n      }\n      ...SuggestionRow_suggestion\n    }\n  }\n"): (typeof documents)["\n  query SocialSuggestions($accountId: ID!) {\n    suggestions(accountId: $accountId, first: 20) {\n      profile {\n        id\n      }\n      ...SuggestionRow_suggestion\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SuggestionsFollow($accountId: ID!, $handle: String!) {\n    followProfile(accountId: $accountId, handle: $handle) {\n      id\n      handle\n    }\n  }\n"): (typeof documents)["\n  mutation SuggestionsFollow($accountId: ID!, $handle: String!) {\n    followProfile(accountId: $accountId, handle: $handle) {\n      id\n      handle\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TaskDialog_task on Task {\n    id\n    title\n    description\n    status\n    priority\n    progress\n    dueAt\n    dueDate\n    dueLocal\n    dueTimeZone\n    assignee {\n      id\n    }\n    blockedBy {\n      id\n      title\n      status\n    }\n  }\n"): (typeof documents)["\n  fragment TaskDialog_task on Task {\n    id\n    title\n    description\n    status\n    priority\n    progress\n    dueAt\n    dueDate\n    dueLocal\n    dueTimeZone\n    assignee {\n      id\n    }\n    blockedBy {\n      id\n      title\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TaskPeople {\n    workspace {\n      id\n      members(first: 100) {\n        edges {\n          node {\n            user {\n              id\n              name\n            }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query TaskPeople {\n    workspace {\n      id\n      members(first: 100) {\n        edges {\n          node {\n            user {\n              id\n              name\n            }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TasksCreate($input: CreateTaskInput!) {\n    createTask(input: $input) {\n      id\n      title\n      ...TaskDialog_task\n    }\n  }\n"): (typeof documents)["\n  mutation TasksCreate($input: CreateTaskInput!) {\n    createTask(input: $input) {\n      id\n      title\n      ...TaskDialog_task\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TasksUpdate($id: ID!, $input: UpdateTaskInput!) {\n    updateTask(id: $id, input: $input) {\n      id\n      title\n      ...TaskDialog_task\n    }\n  }\n"): (typeof documents)["\n  mutation TasksUpdate($id: ID!, $input: UpdateTaskInput!) {\n    updateTask(id: $id, input: $input) {\n      id\n      title\n      ...TaskDialog_task\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TasksAddDependency($taskId: ID!, $blockedById: ID!) {\n    addTaskDependency(taskId: $taskId, blockedById: $blockedById) {\n      id\n      blockedBy {\n        id\n        title\n        status\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation TasksAddDependency($taskId: ID!, $blockedById: ID!) {\n    addTaskDependency(taskId: $taskId, blockedById: $blockedById) {\n      id\n      blockedBy {\n        id\n        title\n        status\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TasksRemoveDependency($taskId: ID!, $blockedById: ID!) {\n    removeTaskDependency(taskId: $taskId, blockedById: $blockedById) {\n      id\n      blockedBy {\n        id\n        title\n        status\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation TasksRemoveDependency($taskId: ID!, $blockedById: ID!) {\n    removeTaskDependency(taskId: $taskId, blockedById: $blockedById) {\n      id\n      blockedBy {\n        id\n        title\n        status\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TaskRow_task on Task {\n    id\n    title\n    status\n    priority\n    progress\n    dueDate\n    dueLocal\n    dueTimeZone\n    overdue\n    assignee {\n      id\n      name\n    }\n    blockedBy {\n      id\n      title\n      status\n    }\n  }\n"): (typeof documents)["\n  fragment TaskRow_task on Task {\n    id\n    title\n    status\n    priority\n    progress\n    dueDate\n    dueLocal\n    dueTimeZone\n    overdue\n    assignee {\n      id\n      name\n    }\n    blockedBy {\n      id\n      title\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TasksPage($filter: TaskFilter, $after: String) {\n    tasks(filter: $filter, first: 50, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          title\n          status\n          ...TaskRow_task\n          ...TaskDialog_task\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query TasksPage($filter: TaskFilter, $after: String) {\n    tasks(filter: $filter, first: 50, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          title\n          status\n          ...TaskRow_task\n          ...TaskDialog_task\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TaskOptions {\n    tasks(first: 100) {\n      edges {\n        node {\n          id\n          title\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query TaskOptions {\n    tasks(first: 100) {\n      edges {\n        node {\n          id\n          title\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TasksComplete($id: ID!) {\n    updateTask(id: $id, input: { status: DONE }) {\n      id\n      status\n      progress\n      completedAt\n      updatedAt\n    }\n  }\n"): (typeof documents)["\n  mutation TasksComplete($id: ID!) {\n    updateTask(id: $id, input: { status: DONE }) {\n      id\n      status\n      progress\n      completedAt\n      updatedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WorkspaceAddMember($workspaceId: ID!, $email: String!, $role: Role!) {\n    addMember(workspaceId: $workspaceId, email: $email, role: $role) {\n      ...MemberRow_membership\n    }\n  }\n"): (typeof documents)["\n  mutation WorkspaceAddMember($workspaceId: ID!, $email: String!, $role: Role!) {\n    addMember(workspaceId: $workspaceId, email: $email, role: $role) {\n      ...MemberRow_membership\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ApiKeyRow_apiKey on ApiKey {\n    id\n    name\n    prefix\n    scopes\n    createdAt\n    revokedAt\n  }\n"): (typeof documents)["\n  fragment ApiKeyRow_apiKey on ApiKey {\n    id\n    name\n    prefix\n    scopes\n    createdAt\n    revokedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WorkspaceApiKeys($first: Int!, $after: String) {\n    apiKeys(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          ...ApiKeyRow_apiKey\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query WorkspaceApiKeys($first: Int!, $after: String) {\n    apiKeys(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id\n          ...ApiKeyRow_apiKey\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WorkspaceRevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      id\n      revokedAt\n    }\n  }\n"): (typeof documents)["\n  mutation WorkspaceRevokeApiKey($id: ID!) {\n    revokeApiKey(id: $id) {\n      id\n      revokedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WorkspaceCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      key\n      apiKey {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation WorkspaceCreateApiKey($input: CreateApiKeyInput!) {\n    createApiKey(input: $input) {\n      key\n      apiKey {\n        id\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WorkspaceCreateWorkspace($name: String!) {\n    createWorkspace(name: $name) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  mutation WorkspaceCreateWorkspace($name: String!) {\n    createWorkspace(name: $name) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MemberRow_membership on Membership {\n    role\n    createdAt\n    user {\n      id\n      name\n      email\n    }\n  }\n"): (typeof documents)["\n  fragment MemberRow_membership on Membership {\n    role\n    createdAt\n    user {\n      id\n      name\n      email\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WorkspaceMembers($first: Int!, $after: String) {\n    workspace {\n      id\n      members(first: $first, after: $after) {\n        edges {\n          cursor\n          node {\n            role\n            user {\n              id\n            }\n            ...MemberRow_membership\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query WorkspaceMembers($first: Int!, $after: String) {\n    workspace {\n      id\n      members(first: $first, after: $after) {\n        edges {\n          cursor\n          node {\n            role\n            user {\n              id\n            }\n            ...MemberRow_membership\n          }\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WorkspaceRemoveMember($workspaceId: ID!, $userId: ID!) {\n    removeMember(workspaceId: $workspaceId, userId: $userId)\n  }\n"): (typeof documents)["\n  mutation WorkspaceRemoveMember($workspaceId: ID!, $userId: ID!) {\n    removeMember(workspaceId: $workspaceId, userId: $userId)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WorkspacePage {\n    workspace {\n      id\n      name\n      createdAt\n    }\n  }\n"): (typeof documents)["\n  query WorkspacePage {\n    workspace {\n      id\n      name\n      createdAt\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;